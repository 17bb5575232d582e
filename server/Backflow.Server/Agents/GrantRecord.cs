namespace Backflow.Server.Agents;

/// <summary>A dataset granted to an agent, with the recorded approval of a conditional dataset.</summary>
internal sealed record GrantRecord(string AgentId, string Dataset, string? ApprovedBy, string GrantedAt);
