namespace Backflow.Server.Status;

/// <summary>One agent's view of one (dataset, region) feed: what the server has, what the agent last reported.</summary>
/// <param name="AppliedSequence">toSequence of the agent's latest successful run; null when it never synced.</param>
/// <param name="LagSince">When the oldest extract the agent has not applied was published.</param>
/// <param name="LastVerification">Outcome of the latest reconciliation report (verified | diverged); null when the agent has
/// never reported one (agents before protocol v1.1 don't), shown as "never".</param>
internal sealed record FeedStatus(
    string AgentId,
    string AgentName,
    string Dataset,
    string DatasetTitle,
    string UpdateCycle,
    string Region,
    long LatestSequence,
    long? AppliedSequence,
    long LagExtracts,
    DateTimeOffset? LagSince,
    double LagSeconds,
    DateTimeOffset? LastSeenAt,
    DateTimeOffset? LastRunAt,
    string? LastOutcome,
    string? LastError,
    bool Blocked,
    string? LastVerification,
    DateTimeOffset? LastVerifiedAt,
    string State);
