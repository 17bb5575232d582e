namespace Backflow.Server.Audit;

/// <summary>One append-only audit record.</summary>
internal sealed record AuditRecord(
    long Id,
    string At,
    string Kind,
    string Actor,
    string? AgentId,
    string? Dataset,
    string? Region,
    long? Sequence,
    long? Bytes,
    string? Detail);
