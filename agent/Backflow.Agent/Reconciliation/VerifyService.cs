using System.Globalization;
using Backflow.Agent.Feeds;
using Backflow.Agent.Hosting;
using Backflow.Agent.Loading;
using Backflow.Agent.Sync;
using Backflow.Protocol.Rows;
using Polly.Timeout;

namespace Backflow.Agent.Reconciliation;

/// <summary>
/// <c>backflow-agent verify</c> and the weekly scheduled verify: recomputes every region's row count and checksum
/// from its table (full scan) and compares them with the applied state, which equals the server's at that sequence.
/// A match is recorded as <c>verified</c>; a mismatch as <c>diverged</c>, and the feed is blocked with a message
/// naming the fix (<c>repair</c>), because applying more deltas onto a copy known to be wrong would hide it.
/// Both are reported to the server, whose status shows the last verification.
/// Each feed is verified under the same per-feed <see cref="FeedLock"/> as its sync, so a scan never reads a table
/// half-way through an apply, whether the sync runs in the service or in a terminal.
/// </summary>
internal sealed partial class VerifyService(
    ILoadTarget target, CatalogCache catalog, FeedClient client, AgentOptions options, TimeProvider time, ILogger<VerifyService> logger)
{
    private static readonly TimeSpan LockPoll = TimeSpan.FromSeconds(1);

    /// <param name="lockWait">How long to wait for a running sync of a feed to finish before skipping that feed.</param>
    public async Task<IReadOnlyList<VerifyResult>> VerifyAsync(string? dataset, CancellationToken ct, TimeSpan lockWait = default)
    {
        await target.InitializeAsync(ct);
        var results = new List<VerifyResult>();
        foreach (var position in await target.ListPositionsAsync(ct))
        {
            if (dataset is not null && !string.Equals(position.Dataset, dataset, StringComparison.Ordinal))
            {
                continue;
            }

            var waited = time.GetTimestamp();
            var feedLock = FeedLock.TryAcquire(options.ResolvedStagingFolder, position.Dataset, position.Region);
            while (feedLock is null && time.GetElapsedTime(waited) < lockWait)
            {
                await Task.Delay(LockPoll, time, ct);
                feedLock = FeedLock.TryAcquire(options.ResolvedStagingFolder, position.Dataset, position.Region);
            }

            if (feedLock is null)
            {
                LogBusy(logger, position.Dataset, position.Region);
                results.Add(new VerifyResult(position.Dataset, position.Region, position.Sequence, false, -1, string.Empty,
                    "a sync of this feed is running; verify again later", Skipped: true));
                continue;
            }

            using (feedLock)
            {
                // Read again under the lock: a sync that just finished may have moved the position.
                var current = await target.GetPositionAsync(position.Dataset, position.Region, ct) ?? position;
                results.Add(await VerifyFeedAsync(current, ct));
            }
        }

        return results;
    }

    private async Task<VerifyResult> VerifyFeedAsync(FeedPosition position, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        var clock = time.GetTimestamp();
        var definition = await catalog.GetAsync(position.Dataset, position.SchemaHash, ct);
        var expected = RegionChecksum.Parse(position.RowCount, position.Checksum);
        RegionChecksum actual;
        string? error = null;
        try
        {
            actual = await target.RecomputeAsync(definition, position.Region, ct);
        }
        catch (InvalidDataException e)
        {
            // A value Backflow never writes (e.g. text in an integer column): certainly not the server's copy.
            actual = new RegionChecksum(-1, 0);
            error = e.Message;
        }

        var verified = error is null && actual == expected;
        if (!verified)
        {
            error = string.Create(CultureInfo.InvariantCulture,
                $"local copy diverged: the table holds {(actual.RowCount < 0 ? "unreadable rows" : $"{actual.RowCount} rows with checksum {actual.SumHex}")} "
                + $"but sequence {position.Sequence} left {expected.RowCount} rows with checksum {expected.SumHex}{(error is null ? string.Empty : " (" + error + ")")}; "
                + $"someone or something changed the table. Fix: `backflow-agent repair --dataset {position.Dataset} --region {position.Region}` re-baselines it from the server's snapshot");
        }

        var run = new RunRecord(position.Dataset, position.Region, position.Sequence, position.Sequence, Math.Max(0, actual.RowCount),
            (long)time.GetElapsedTime(clock).TotalMilliseconds, verified ? VerificationOutcomes.Verified : VerificationOutcomes.Diverged, error, started);
        await target.AppendRunAsync(run, ct);
        if (!verified)
        {
            var health = await target.GetHealthAsync(position.Dataset, position.Region, ct)
                ?? new FeedHealth(position.Dataset, position.Region, position.Sequence, 0, false, null, null, null, null);
            // Marked as a divergence so that only repair lifts the block (see Divergence).
            await target.SaveHealthAsync(Divergence.Mark(health, Divergence.Describe(error!), time.GetUtcNow()), ct);
            LogDiverged(logger, position.Dataset, position.Region, error!);
        }

        try
        {
            await client.ReportRunAsync(run, ct);
        }
        catch (Exception e) when (e is HttpRequestException or ServerProblemException or IOException or TimeoutRejectedException && !ct.IsCancellationRequested)
        {
            LogReportFailed(logger, position.Dataset, position.Region, e.Message);
        }

        return new VerifyResult(position.Dataset, position.Region, position.Sequence, verified, actual.RowCount, actual.SumHex, error);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Dataset}/{Region}: {Error}")]
    private static partial void LogDiverged(ILogger logger, string dataset, string region, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Did not verify {Dataset}/{Region}: a sync of it is running")]
    private static partial void LogBusy(ILogger logger, string dataset, string region);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report the verification of {Dataset}/{Region} to the server: {Error}")]
    private static partial void LogReportFailed(ILogger logger, string dataset, string region, string error);
}
