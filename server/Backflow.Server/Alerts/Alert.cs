namespace Backflow.Server.Alerts;

/// <summary>A condition that needs an operator. <see cref="Key"/> identifies it across evaluations, so it is sent once
/// while it lasts and cleared when it ends.</summary>
internal sealed record Alert(string Key, string Kind, string AgentId, string AgentName, string? Dataset, string? Region, string Message, DateTimeOffset? Since);
