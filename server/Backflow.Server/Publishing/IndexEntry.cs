namespace Backflow.Server.Publishing;

/// <summary>Where a key lives now, the digest of its current row and the id of that row's encoding in <c>key_rows</c>.</summary>
internal sealed record IndexEntry(string Region, byte[] RowHash, long DataId);
