namespace Backflow.Agent.Loading;

/// <summary>What the sync loop knows about a feed beyond its applied position.</summary>
internal sealed record FeedHealth(
    string Dataset,
    string Region,
    long LatestKnownSequence,
    int ConsecutiveFailures,
    bool Blocked,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastAttemptAt);
