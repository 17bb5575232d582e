namespace Backflow.Agent.Reconciliation;

/// <summary>One feed's reconciliation: the table's recomputed count and checksum against the applied state.</summary>
internal sealed record VerifyResult(string Dataset, string Region, long Sequence, bool Verified, long RowCount, string Checksum, string? Error);
