namespace Backflow.Server.Dashboard;

/// <summary>One reported agent run, as the agent page lists it.</summary>
internal sealed record RunRecord(long Id, string Dataset, string Region, long FromSequence, long ToSequence, long Rows, long DurationMs, string Outcome, string? Error, string? StartedAt, string ReportedAt);
