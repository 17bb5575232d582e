namespace Backflow.Server.Publishing;

/// <summary>
/// A validated changeset row with everything routing needs that does not depend on the key index — the key and row
/// encodings and the row digest — computed before routing so that the SQLite thread only looks up and writes.
/// </summary>
/// <param name="Values">The row in catalog column order (a delete carries only its key columns).</param>
/// <param name="Key">The canonical key encoding.</param>
/// <param name="IsDelete">Whether the row deletes its key rather than upserting it.</param>
internal readonly record struct PreparedRow(object?[] Values, byte[] Key, bool IsDelete)
{
    /// <summary>The canonical row encoding, in its chunk's <see cref="RowArena"/>; empty for a delete, and until the
    /// chunk has been encoded (<see cref="ChangesetReadAhead"/>).</summary>
    public ReadOnlyMemory<byte> RowData { get; init; }

    /// <summary>SHA-256 of <see cref="RowData"/>, in the same arena; empty for a delete.</summary>
    public ReadOnlyMemory<byte> Digest { get; init; }
}
