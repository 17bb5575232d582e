using Backflow.Server.Rebasing;

namespace Backflow.Server.Status;

/// <summary>The answer to "who has what, who is behind, and why", at one instant.</summary>
internal sealed record FleetStatus(DateTimeOffset GeneratedAt, FleetTotals Totals, IReadOnlyList<AgentStatus> Agents, IReadOnlyList<FeedStatus> Feeds)
{
    /// <summary>The latest re-bases (resyncs and schema changes), newest first: why agents reloaded regions, and when.</summary>
    public IReadOnlyList<RebaseRecord> Rebases { get; init; } = [];
}
