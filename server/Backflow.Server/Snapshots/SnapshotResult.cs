namespace Backflow.Server.Snapshots;

/// <summary>One snapshot built: its sequence and generation, and the region's rows and checksum it holds.</summary>
internal sealed record SnapshotResult(string Dataset, string Region, long Sequence, long Generation, long Rows, string Checksum, long Bytes);
