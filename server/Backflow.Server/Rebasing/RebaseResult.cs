using Backflow.Server.Snapshots;

namespace Backflow.Server.Rebasing;

/// <summary>What a re-base did: the new schema version and one snapshot per region, each starting a new generation.</summary>
internal sealed record RebaseResult(
    string Dataset,
    string Reason,
    long? OldSchemaVersion,
    long NewSchemaVersion,
    string? Change,
    long Rows,
    IReadOnlyList<SnapshotResult> Snapshots,
    string RebasedAt);
