namespace Backflow.Server.Publishing;

/// <summary>Where a key lives now, the digest of its current row and where that row's encoding is stored (its offset in the dataset's row file, see <see cref="Rows.RowFiles"/>).</summary>
internal sealed record IndexEntry(string Region, byte[] RowHash, long DataId);
