using Backflow.Server.Metadata;
using Backflow.Server.Problems;
using Backflow.Server.Security;
using Dapper;

namespace Backflow.Server.Api;

/// <summary>Agents report each sync run here; operators' status views read these reports.</summary>
internal static class RunsApi
{
    // verified | diverged report a reconciliation (region checksum recomputed from the local table), not a sync.
    private static readonly string[] Outcomes = ["current", "behind", "failed", "blocked", "rebased", "rebuilt", "verified", "diverged"];

    public static RouteGroupBuilder MapRunsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/agents/me/runs", Report).RequireCaller<AgentCaller, RouteHandlerBuilder>();
        return api;
    }

    private static async Task<IResult> Report(HttpContext http, RunReport? report, WriteBatcher writes, TimeProvider time)
    {
        var caller = http.Caller<AgentCaller>();
        if (report is null)
        {
            return Problem.InvalidRequest("send a JSON run report: dataset, region, fromSequence, toSequence, rows, durationMs, outcome, error");
        }

        if (await FeedAccess.CheckAsync(http, caller, report.Dataset ?? string.Empty, report.Region ?? string.Empty) is { } refused)
        {
            return refused;
        }

        if (report.FromSequence < 0 || report.ToSequence < report.FromSequence || report.Rows < 0 || report.DurationMs < 0)
        {
            return Problem.InvalidRequest("sequences, rows and durationMs must be non-negative and toSequence ≥ fromSequence");
        }

        if (!Outcomes.Contains(report.Outcome))
        {
            return Problem.InvalidRequest($"outcome '{report.Outcome}' is not one of {string.Join(", ", Outcomes)}");
        }

        var reportedAt = Timestamps.ToText(time.GetUtcNow());
        await writes.WriteAsync((connection, transaction) => connection.Execute(
            """
            INSERT INTO runs (agent_id, dataset, region, from_sequence, to_sequence, rows, duration_ms, outcome, error, started_at, reported_at)
            VALUES (@agentId, @Dataset, @Region, @FromSequence, @ToSequence, @Rows, @DurationMs, @Outcome, @error, @StartedAt, @now)
            """,
            new
            {
                agentId = caller.Id,
                report.Dataset,
                report.Region,
                report.FromSequence,
                report.ToSequence,
                report.Rows,
                report.DurationMs,
                report.Outcome,
                error = report.Error is { Length: > 4000 } e ? e[..4000] : report.Error,
                report.StartedAt,
                now = reportedAt,
            },
            transaction));
        return TypedResults.NoContent();
    }

    private sealed record RunReport(string? Dataset, string? Region, long FromSequence, long ToSequence, long Rows, long DurationMs, string? Outcome, string? Error, string? StartedAt);
}
