namespace Backflow.Server.Status;

/// <summary>An agent with the worst state among its feeds.</summary>
internal sealed record AgentStatus(string AgentId, string Name, string Regions, IReadOnlyList<string> Datasets, DateTimeOffset? LastSeenAt,
    int Feeds, int Lagging, string State);
