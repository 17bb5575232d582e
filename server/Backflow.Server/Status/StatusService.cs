using Backflow.Server.Agents;
using Backflow.Server.Catalog;
using Backflow.Server.Feeds;
using Backflow.Server.Metadata;
using Backflow.Server.Rebasing;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Status;

/// <summary>
/// Computes fleet status from the server's own records: the feeds an agent should have are its grants × the
/// published regions its scope covers; what it has comes from its run reports.
/// </summary>
internal sealed class StatusService(MetadataDatabase database, CatalogService catalog, AgentRegistry agents, TimeProvider time)
{
    /// <summary>An agent counts as seen when it called the server within this window.</summary>
    public static readonly TimeSpan SeenWindow = TimeSpan.FromDays(1);

    /// <summary>Run outcomes after which the agent holds the run's toSequence.</summary>
    public static readonly string[] AppliedOutcomes = ["current", "behind", "rebased", "rebuilt"];

    /// <summary>How many re-bases status lists (the dashboard's dataset page shows each dataset's own).</summary>
    public const int RecentRebases = 20;

    /// <summary>Run outcomes that report a reconciliation rather than a sync.</summary>
    public static readonly string[] VerificationOutcomes = ["verified", "diverged"];

    public FleetStatus Compute()
    {
        var now = time.GetUtcNow();
        using var connection = database.Open();
        var feeds = connection.Query<(string Dataset, string Region, long LatestSequence)>(
            "SELECT dataset, region, latest_sequence FROM feeds ORDER BY dataset, region").ToList();
        var lastRuns = LatestRuns(connection, "outcome NOT IN @VerificationOutcomes");
        var lastApplied = LatestRuns(connection, "outcome IN @AppliedOutcomes");
        var lastVerified = LatestRuns(connection, "outcome IN @VerificationOutcomes");

        var feedStatuses = new List<FeedStatus>();
        var agentStatuses = new List<AgentStatus>();
        foreach (var agent in agents.List().Where(a => a.RevokedAt is null))
        {
            var scope = StoredRegions.ScopeOf(agent.Regions);
            var lastSeen = agent.LastSeenAt is null ? (DateTimeOffset?)null : Timestamps.Parse(agent.LastSeenAt);
            var mine = new List<FeedStatus>();
            foreach (var grant in agent.Grants)
            {
                var definition = catalog.Find(grant.Dataset);
                if (definition is null)
                {
                    continue; // granted once, since removed from the catalog
                }

                foreach (var feed in feeds.Where(f => f.Dataset == grant.Dataset && scope is not null && StoredRegions.CoveredBy(scope, f.Region)))
                {
                    var key = (agent.AgentId, feed.Dataset, feed.Region);
                    var run = lastRuns.GetValueOrDefault(key);
                    long? applied = lastApplied.TryGetValue(key, out var a) ? a.ToSequence : null;
                    var verification = lastVerified.GetValueOrDefault(key);
                    var lagExtracts = Math.Max(0, feed.LatestSequence - (applied ?? 0));
                    var lagSince = lagExtracts > 0 ? OldestUnapplied(connection, feed.Dataset, feed.Region, applied ?? 0) : null;
                    var lag = lagSince is null ? TimeSpan.Zero : now - lagSince.Value;
                    var blocked = run?.Outcome == "blocked";
                    var state = Lateness.StateOf(blocked, applied, feed.LatestSequence, lag, definition.UpdateCycle);
                    mine.Add(new FeedStatus(agent.AgentId, agent.Name, feed.Dataset, definition.Title, definition.UpdateCycle.ToString().ToLowerInvariant(),
                        feed.Region, feed.LatestSequence, applied, lagExtracts, lagSince, Math.Max(0, lag.TotalSeconds), lastSeen,
                        run is null ? null : Timestamps.Parse(run.ReportedAt), run?.Outcome, run?.Error, blocked,
                        verification?.Outcome, verification is null ? null : Timestamps.Parse(verification.ReportedAt), state));
                }
            }

            feedStatuses.AddRange(mine);
            var worst = mine.Count == 0 ? FeedStates.Current : mine.MaxBy(f => FeedStates.Severity(f.State))!.State;
            agentStatuses.Add(new AgentStatus(agent.AgentId, agent.Name, agent.Regions, agent.Grants.Select(g => g.Dataset).ToArray(), lastSeen,
                mine.Count, mine.Count(f => FeedStates.IsLagging(f.State)), agent.EnrolledAt is null ? FeedStates.NeverSynced : worst));
        }

        var totals = new FleetTotals(
            agentStatuses.Count,
            agentStatuses.Count(a => a.LastSeenAt is { } seen && now - seen <= SeenWindow),
            feedStatuses.Count,
            feedStatuses.Count(f => f.State == FeedStates.Current),
            feedStatuses.Count(f => f.State == FeedStates.Behind),
            feedStatuses.Count(f => f.State == FeedStates.Late),
            feedStatuses.Count(f => f.State == FeedStates.Blocked),
            feedStatuses.Count(f => f.State == FeedStates.NeverSynced),
            feedStatuses.Sum(f => f.LagExtracts));
        return new FleetStatus(now, totals, agentStatuses, feedStatuses) { Rebases = RebaseHistory.Recent(connection, null, RecentRebases) };
    }

    private static Dictionary<(string, string, string), RunRow> LatestRuns(SqliteConnection connection, string filter) =>
        connection.Query<RunRow>(
            $"""
            SELECT r.agent_id AS AgentId, r.dataset AS Dataset, r.region AS Region, r.to_sequence AS ToSequence, r.outcome AS Outcome,
                   r.error AS Error, r.reported_at AS ReportedAt
            FROM runs r JOIN (SELECT MAX(id) AS id FROM runs WHERE {filter} GROUP BY agent_id, dataset, region) latest ON r.id = latest.id
            """,
            new { AppliedOutcomes, VerificationOutcomes })
            .ToDictionary(r => (r.AgentId, r.Dataset, r.Region));

    private static DateTimeOffset? OldestUnapplied(SqliteConnection connection, string dataset, string region, long applied) =>
        connection.ExecuteScalar<string?>(
            "SELECT MIN(published_at) FROM manifests WHERE dataset = @dataset AND region = @region AND sequence > @applied",
            new { dataset, region, applied }) is { } text ? Timestamps.Parse(text) : null;

    private sealed record RunRow(string AgentId, string Dataset, string Region, long ToSequence, string Outcome, string? Error, string ReportedAt);
}
