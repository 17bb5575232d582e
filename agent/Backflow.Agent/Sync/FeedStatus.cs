namespace Backflow.Agent.Sync;

/// <summary>One feed as `backflow-agent status` shows it.</summary>
/// <param name="Diverged">Blocked because the local copy diverged: only `repair` lifts it (see <see cref="Divergence"/>).</param>
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
    string? Verification = null,
    bool Diverged = false);
