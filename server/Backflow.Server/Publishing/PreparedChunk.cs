namespace Backflow.Server.Publishing;

/// <summary>Rows handed from the read-ahead thread to routing, with the arena their encodings live in: dispose it once
/// the rows have been routed.</summary>
internal sealed class PreparedChunk : IDisposable
{
    public List<PreparedRow> Rows { get; } = new(ChangesetReadAhead.ChunkSize);

    public RowArena Arena { get; } = new();

    public void Dispose() => Arena.Dispose();
}
