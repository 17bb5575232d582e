using Backflow.Agent.Loading;
using Backflow.Agent.Reconciliation;

namespace Backflow.Agent.Sync;

/// <summary>Reads every feed's status from the target database alone, so status works with the server unreachable.</summary>
internal sealed class StatusReader(ILoadTarget target)
{
    public async Task<IReadOnlyList<FeedStatus>> ReadAsync(CancellationToken ct)
    {
        await target.InitializeAsync(ct);
        var positions = (await target.ListPositionsAsync(ct)).ToDictionary(p => (p.Dataset, p.Region));
        var health = (await target.ListHealthAsync(ct)).ToDictionary(h => (h.Dataset, h.Region));
        // Newest first: the first verification seen per feed is its last one.
        var verifications = new Dictionary<(string, string), RunRecord>();
        foreach (var run in await target.RecentRunsAsync(null, 2000, ct))
        {
            if (VerificationOutcomes.IsVerification(run.Outcome))
            {
                verifications.TryAdd((run.Dataset, run.Region), run);
            }
        }

        return [.. positions.Keys.Union(health.Keys)
            .Order()
            .Select(key =>
            {
                var position = positions.GetValueOrDefault(key);
                var feed = health.GetValueOrDefault(key);
                var applied = position?.Sequence ?? 0;
                var latest = Math.Max(applied, feed?.LatestKnownSequence ?? 0);
                return new FeedStatus(
                    key.Dataset, key.Region, applied, latest, latest - applied,
                    feed?.LastSuccessAt ?? position?.AppliedAt, feed?.LastError, feed?.ConsecutiveFailures ?? 0,
                    feed?.Blocked ?? false, position?.RowCount ?? 0,
                    verifications.GetValueOrDefault(key)?.ToSequence, verifications.GetValueOrDefault(key)?.StartedAt, verifications.GetValueOrDefault(key)?.Outcome,
                    Divergence.Blocks(feed));
            })];
    }
}
