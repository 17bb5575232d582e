namespace Backflow.Agent.Loading;

/// <summary>What an apply did.</summary>
internal sealed record ApplyResult(long Sequence, long Upserts, long Deletes, long RowCount, string Checksum, bool AlreadyApplied);
