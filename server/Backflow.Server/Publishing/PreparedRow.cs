namespace Backflow.Server.Publishing;

/// <summary>
/// A validated changeset row with everything routing needs that does not depend on the key index — the key and row
/// encodings and the row digest — computed on the read-ahead thread so that the SQLite thread only looks up and writes.
/// </summary>
/// <param name="Values">The row in catalog column order (a delete carries only its key columns).</param>
/// <param name="Key">The canonical key encoding.</param>
/// <param name="RowData">The canonical row encoding, in its chunk's <see cref="RowArena"/>; empty for a delete.</param>
/// <param name="Digest">SHA-256 of <paramref name="RowData"/>, in the same arena; empty for a delete.</param>
internal readonly record struct PreparedRow(object?[] Values, byte[] Key, ReadOnlyMemory<byte> RowData, ReadOnlyMemory<byte> Digest)
{
    public bool IsDelete => Digest.IsEmpty;
}
