namespace Backflow.Agent.Sync;

/// <summary>One feed as `backflow-agent status` shows it.</summary>
internal sealed record FeedStatus(
    string Dataset,
    string Region,
    long AppliedSequence,
    long LatestKnownSequence,
    long Lag,
    DateTimeOffset? LastSuccessAt,
    string? LastError,
    int ConsecutiveFailures,
    bool Blocked,
    long RowCount,
    long? VerifiedSequence = null,
    DateTimeOffset? VerifiedAt = null,
    string? Verification = null);
