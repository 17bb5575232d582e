using System.Globalization;
using Backflow.Agent.Feeds;
using Backflow.Agent.Loading;
using Backflow.Agent.Verification;

namespace Backflow.Agent.Sync;

/// <summary>
/// Why and from which snapshot a feed starts over instead of continuing with deltas: a new agent (nothing applied)
/// bootstraps from the latest snapshot instead of replaying history; an agent on an older generation must load the
/// new generation's snapshot; <c>repair</c> re-baselines on request; and an agent whose next delta expired (410)
/// has no other way forward.
/// </summary>
internal sealed record Baseline(long Snapshot, string Reason)
{
    public static Baseline? Decide(FeedInfo feed, FeedPosition? position, bool requested)
    {
        if (requested)
        {
            return feed.LatestSnapshotSequence is { } snapshot
                ? new Baseline(snapshot, "repair requested")
                : throw new RejectedException(
                    RejectionReason.SequenceSkipped,
                    $"the server has no snapshot of {feed.Dataset}/{feed.Region} to re-baseline from; ask the provincial operator to run `backflow-server snapshot --dataset {feed.Dataset} --region {feed.Region}`, then repair again");
        }

        if (feed.LatestSnapshotSequence is not { } latest)
        {
            return null;
        }

        if (position is null)
        {
            return new Baseline(latest, "first sync");
        }

        return position.Generation < feed.Generation
            ? new Baseline(latest, string.Create(CultureInfo.InvariantCulture, $"generation {position.Generation} → {feed.Generation}"))
            : null;
    }

    public static Baseline Expired(FeedInfo feed, ServerProblemException problem) =>
        feed.LatestSnapshotSequence is { } snapshot
            ? new Baseline(snapshot, "sequences expired")
            : throw new RejectedException(RejectionReason.SequenceSkipped, $"{problem.Message}; and the server lists no snapshot of {feed.Dataset}/{feed.Region} to start over from");
}
