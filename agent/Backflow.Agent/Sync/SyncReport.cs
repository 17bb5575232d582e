namespace Backflow.Agent.Sync;

/// <summary>The result of one sync over all chosen feeds.</summary>
internal sealed record SyncReport(IReadOnlyList<FeedSyncResult> Feeds, string? Error)
{
    /// <summary>When <see cref="Error"/> is a network failure: one line naming the address and what to check.</summary>
    public string? NetworkProblem { get; init; }

    /// <summary>True only if the feed list was read and every feed ended current.</summary>
    public bool AllCurrent => Error is null && Feeds.All(f => f.Outcome == FeedOutcome.Current || (f.Outcome is FeedOutcome.Rebased or FeedOutcome.Rebuilt && f.ToSequence >= f.LatestSequence));
}
