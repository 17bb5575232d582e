namespace Backflow.Agent.Loading;

/// <summary>What the sync loop knows about a feed beyond its applied position.</summary>
/// <param name="Diverged">The local table no longer matches the server's (found by <c>verify</c> or by a checksum
/// mismatch at apply): blocked until <c>repair</c>, whatever the server publishes (see <c>Sync.Divergence</c>).</param>
internal sealed record FeedHealth(
    string Dataset,
    string Region,
    long LatestKnownSequence,
    int ConsecutiveFailures,
    bool Blocked,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastAttemptAt,
    bool Diverged = false);
