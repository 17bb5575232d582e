using System.Text.Json.Serialization;

namespace Backflow.Agent.Enrollment;

/// <summary>What enrollment leaves in <c>agent.json</c>; the token is the only secret the agent keeps.</summary>
internal sealed record AgentIdentity(
    [property: JsonPropertyName("serverUrl")] Uri ServerUrl,
    [property: JsonPropertyName("agentId")] string AgentId,
    [property: JsonPropertyName("regions")] string Regions,
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("enrolledAt")] DateTimeOffset EnrolledAt);
