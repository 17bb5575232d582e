namespace Backflow.Server.Status;

/// <summary>The answer to "who has what, who is behind, and why", at one instant.</summary>
internal sealed record FleetStatus(DateTimeOffset GeneratedAt, FleetTotals Totals, IReadOnlyList<AgentStatus> Agents, IReadOnlyList<FeedStatus> Feeds);
