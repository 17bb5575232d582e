namespace Backflow.Server.Agents;

/// <summary>An agent as operators see it (never its token or enrollment code).</summary>
internal sealed record AgentRecord(
    string AgentId,
    string Name,
    string Regions,
    string CreatedAt,
    string? EnrolledAt,
    string? EnrollmentExpiresAt,
    string? RevokedAt,
    string? LastSeenAt)
{
    public IReadOnlyList<GrantRecord> Grants { get; init; } = [];

    public string State => RevokedAt is not null ? "revoked" : EnrolledAt is not null ? "enrolled" : "awaiting enrollment";
}
