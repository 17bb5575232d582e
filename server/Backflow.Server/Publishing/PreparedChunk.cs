namespace Backflow.Server.Publishing;

/// <summary>Rows handed from the read-ahead thread to routing, with the arena their encodings live in. Once the rows have
/// been routed it goes back to <see cref="ChangesetReadAhead.Recycle"/>, which clears it to be filled again.</summary>
internal sealed class PreparedChunk
{
    public List<PreparedRow> Rows { get; } = new(ChangesetReadAhead.ChunkSize);

    public RowArena Arena { get; } = new();

    /// <summary>Forgets the rows and gives the arena's segments back to the pool.</summary>
    public void Clear()
    {
        Rows.Clear();
        Arena.Dispose();
    }
}
