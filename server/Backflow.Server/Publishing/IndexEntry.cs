namespace Backflow.Server.Publishing;

/// <summary>Where a key lives now and the digest of its current row.</summary>
internal sealed record IndexEntry(string Region, byte[] RowHash);
