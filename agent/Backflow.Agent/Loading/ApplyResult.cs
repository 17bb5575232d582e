namespace Backflow.Agent.Loading;

/// <summary>What an apply did.</summary>
/// <param name="Rebuilt">The dataset's table was rebuilt under a new schema to load this snapshot (a re-base after a
/// breaking schema change); the reason is in <paramref name="RebuildReason"/>.</param>
internal sealed record ApplyResult(long Sequence, long Upserts, long Deletes, long RowCount, string Checksum, bool AlreadyApplied, bool Rebuilt = false, string? RebuildReason = null);
