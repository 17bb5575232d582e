namespace Backflow.Server.Publishing;

/// <summary>Rows handed from the read-ahead thread to routing, with the arena their encodings live in: dispose it once
/// the rows have been routed (or hand it back to <see cref="ChangesetReadAhead.Recycle"/> to fill it again).</summary>
internal sealed class PreparedChunk : IDisposable
{
    public List<PreparedRow> Rows { get; } = new(ChangesetReadAhead.ChunkSize);

    public RowArena Arena { get; } = new();

    /// <summary>Forgets the rows and gives the arena's segments back; the chunk can then be filled again.</summary>
    public void Dispose()
    {
        Rows.Clear();
        Arena.Dispose();
    }
}
