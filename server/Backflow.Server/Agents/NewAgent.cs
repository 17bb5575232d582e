namespace Backflow.Server.Agents;

/// <summary>The result of creating an agent: the one time the enrollment code is ever shown.</summary>
internal sealed record NewAgent(string AgentId, string Name, string Regions, IReadOnlyList<string> Datasets, string EnrollmentCode, string ExpiresAt);
