namespace Backflow.Agent.Reconciliation;

/// <summary>One feed's reconciliation: the table's recomputed count and checksum against the applied state.</summary>
/// <param name="Skipped">Not verified because a sync held the feed's lock: neither verified nor diverged.</param>
internal sealed record VerifyResult(string Dataset, string Region, long Sequence, bool Verified, long RowCount, string Checksum, string? Error, bool Skipped = false);
