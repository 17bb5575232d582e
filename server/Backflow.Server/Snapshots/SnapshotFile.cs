using Backflow.Protocol.Rows;

namespace Backflow.Server.Snapshots;

/// <summary>A snapshot extract written to staging: where it is, its size and SHA-256, and the checksum of the rows in it.</summary>
internal sealed record SnapshotFile(string Path, long Bytes, string Sha256, RegionChecksum Checksum);
