using Backflow.Agent.Enrollment;
using Backflow.Agent.Feeds;
using Backflow.Agent.Hosting;
using Backflow.Agent.Loading;
using Backflow.Agent.Verification;
using Backflow.Protocol.Manifests;
using Backflow.Protocol.Regions;
using Polly.Timeout;

namespace Backflow.Agent.Sync;

/// <summary>One sync over the agent's feeds (or one dataset's), feed after feed; used by `sync` and by the schedule.</summary>
internal sealed partial class SyncService(
    StateFolder state,
    ServerEndpoint endpoint,
    FeedClient client,
    FeedSynchronizer synchronizer,
    ILoadTarget target,
    TimeProvider time,
    ILogger<SyncService> logger)
{
    /// <param name="rebaseline">Re-baseline from the latest snapshot (<c>repair</c>); <paramref name="region"/> narrows it to one region.</param>
    public async Task<SyncReport> SyncAsync(string? dataset, bool retryBlocked, CancellationToken ct, string? region = null, bool rebaseline = false)
    {
        var identity = endpoint.Identity;
        var keys = state.ReadTrustedKeys();
        if (keys.Count == 0)
        {
            throw new NotEnrolledException($"no trusted keys in '{state.KeysDirectory}'; run `backflow-agent enroll` again to pin the server's keys");
        }

        // The scope pinned at enrollment, not what the server says today, decides which rows this agent may hold.
        var context = new FeedContext(new ManifestVerifier(keys), RegionScope.Parse(identity.Regions), retryBlocked, rebaseline);
        await target.InitializeAsync(ct);

        FeedList list;
        try
        {
            list = await client.GetFeedsAsync(ct);
        }
        catch (Exception e) when (e is HttpRequestException or ServerProblemException or TimeoutRejectedException or IOException && !ct.IsCancellationRequested)
        {
            // Not logged here: the command prints the report's one line, and the service's SyncJob logs it.
            await RecordUnreachableAsync(dataset, region, e.Message, ct);
            return new SyncReport([], e.Message) { NetworkProblem = NetworkFailures.Describe(e) };
        }

        var chosen = list.Feeds.Where(f => (dataset is null || string.Equals(f.Dataset, dataset, StringComparison.Ordinal))
            && (region is null || string.Equals(f.Region, region, StringComparison.Ordinal))).ToList();
        if (dataset is not null && chosen.Count == 0)
        {
            var rejection = new RejectedException(
                RejectionReason.DatasetNotGranted,
                $"the server lists no feed of dataset '{dataset}' for this agent; check the id (`backflow-agent status`) or ask the provincial operator for a grant");
            return new SyncReport([new FeedSyncResult(dataset, "-", FeedOutcome.Failed, 0, 0, 0, 0, rejection.Describe())], null);
        }

        var results = new List<FeedSyncResult>(chosen.Count);
        foreach (var feed in chosen)
        {
            ct.ThrowIfCancellationRequested();
            results.Add(await synchronizer.SyncAsync(feed, context, ct));
        }

        return new SyncReport(results, null);
    }

    /// <summary>The datasets the server grants, for the scheduler; empty when the server cannot be reached now.</summary>
    public async Task<IReadOnlyList<string>> GrantedDatasetsAsync(CancellationToken ct)
    {
        try
        {
            var list = await client.GetFeedsAsync(ct);
            return [.. list.Feeds.Select(f => f.Dataset).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is HttpRequestException or ServerProblemException or TimeoutRejectedException or IOException && !ct.IsCancellationRequested)
        {
            LogFeedListFailed(logger, e.Message);
            return [];
        }
    }

    /// <summary>Marks every held feed (of the chosen dataset/region) with the failed attempt: `status` must not show a
    /// county "current, no error" while the server has been unreachable for days. Outages never count toward blocking.</summary>
    private async Task RecordUnreachableAsync(string? dataset, string? region, string error, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var position in await target.ListPositionsAsync(ct))
        {
            if ((dataset is null || position.Dataset == dataset) && (region is null || position.Region == region))
            {
                var health = await target.GetHealthAsync(position.Dataset, position.Region, ct)
                    ?? new FeedHealth(position.Dataset, position.Region, position.Sequence, 0, false, null, null, null, null);
                // A blocked or diverged feed keeps the error that explains its block (repair advice reads it).
                await target.SaveHealthAsync(health.Blocked || health.Diverged
                    ? health with { LastAttemptAt = now }
                    : health with { LastError = "server unreachable: " + error, LastErrorAt = now, LastAttemptAt = now }, ct);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not list this agent's feeds: {Error}")]
    private static partial void LogFeedListFailed(ILogger logger, string error);
}
