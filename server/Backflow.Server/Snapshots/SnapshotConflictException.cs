namespace Backflow.Server.Snapshots;

/// <summary>A publish committed to the region while its snapshot was being built; the build is discarded and retried.</summary>
internal sealed class SnapshotConflictException(string message) : Exception(message);
