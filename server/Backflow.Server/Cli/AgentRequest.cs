namespace Backflow.Server.Cli;

/// <summary>One agent to create, as read from a batch file.</summary>
internal sealed record AgentRequest(string Name, string Regions, IReadOnlyList<string> Datasets, string? ApprovedBy);
