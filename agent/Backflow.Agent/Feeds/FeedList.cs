namespace Backflow.Agent.Feeds;

/// <summary>The answer to <c>GET /feeds</c>: the agent's scope and every feed it may pull.</summary>
internal sealed record FeedList(string AgentId, string Regions, IReadOnlyList<FeedInfo> Feeds);
