using System.Globalization;
using Backflow.Agent.Downloads;
using Backflow.Agent.Feeds;
using Backflow.Agent.Hosting;
using Backflow.Agent.Loading;
using Backflow.Agent.Verification;
using Backflow.Protocol.Manifests;
using Backflow.Protocol.Regions;
using Polly.Timeout;

namespace Backflow.Agent.Sync;

/// <summary>
/// Syncs one feed: asks for the manifests after the applied sequence, and for each one verifies, downloads,
/// verifies again and applies it, stopping at the first failure so that the feed never skips a sequence.
/// </summary>
internal sealed partial class FeedSynchronizer(
    FeedClient client,
    ExtractDownloader downloader,
    CatalogCache catalog,
    ILoadTarget target,
    Quarantine quarantine,
    AgentOptions options,
    TimeProvider time,
    ILogger<FeedSynchronizer> logger)
{
    public const int BlockAfterFailures = 3;

    public async Task<FeedSyncResult> SyncAsync(FeedInfo feed, FeedContext context, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        var clock = time.GetTimestamp();
        var position = await target.GetPositionAsync(feed.Dataset, feed.Region, ct);
        var applied = position?.Sequence ?? 0;
        var health = await target.GetHealthAsync(feed.Dataset, feed.Region, ct)
            ?? new FeedHealth(feed.Dataset, feed.Region, 0, 0, false, null, null, null, null);

        // A diverged copy waits for repair alone: a newer sequence or --retry-blocked would apply deltas onto a
        // table known to be wrong.
        var diverged = Divergence.Blocks(health);
        var divergence = health.LastError;
        if (diverged && !context.Rebaseline)
        {
            var advice = context.RetryBlocked
                ? $"--retry-blocked does not clear a divergence; {Divergence.Advice(feed.Dataset)} ({health.LastError})"
                : $"{Divergence.Advice(feed.Dataset)} ({health.LastError})";
            var refused = new FeedSyncResult(feed.Dataset, feed.Region, FeedOutcome.Blocked, applied, applied, feed.LatestSequence, 0, advice);
            await RecordAsync(refused, started, clock, ct);
            return refused;
        }

        // Blocked feeds wait for a person or for the server to publish something newer than what kept failing.
        if (health.Blocked && !diverged && !context.RetryBlocked && feed.LatestSequence <= health.LatestKnownSequence)
        {
            var blocked = new FeedSyncResult(feed.Dataset, feed.Region, FeedOutcome.Blocked, applied, applied, feed.LatestSequence, 0, health.LastError);
            await RecordAsync(blocked, started, clock, ct);
            return blocked;
        }

        using var feedLock = FeedLock.TryAcquire(options.ResolvedStagingFolder, feed.Dataset, feed.Region);
        if (feedLock is null)
        {
            return new FeedSyncResult(feed.Dataset, feed.Region, FeedOutcome.Behind, applied, applied, feed.LatestSequence, 0, "another sync or verify of this feed is running");
        }

        var from = applied;
        var latest = feed.LatestSequence;
        long rows = 0;
        FeedSyncResult result;
        try
        {
            var pulled = await PullAsync(feed, context, position, ct);
            (applied, latest, rows) = (pulled.Applied, pulled.Latest, pulled.Rows);
            var outcome = pulled.Rebuilt is not null ? FeedOutcome.Rebuilt
                : pulled.Rebased ? FeedOutcome.Rebased
                : applied >= latest ? FeedOutcome.Current : FeedOutcome.Behind;
            if (pulled.Rebuilt is { } why)
            {
                LogRebuilt(logger, feed.Dataset, feed.Region, why);
            }

            result = new FeedSyncResult(feed.Dataset, feed.Region, outcome, from, applied, latest, rows, null);
            health = health with
            {
                LatestKnownSequence = latest, ConsecutiveFailures = 0, Blocked = false, Diverged = false, LastError = null, LastSuccessAt = time.GetUtcNow(),
            };
        }
        catch (FeedRejectedException e)
        {
            var failures = health.ConsecutiveFailures + 1;
            // A wrong local table or one that cannot hold the rows does not heal by retrying: block at once. A divergence
            // is also marked, so that only repair lifts it; an incompatible table waits for the server's re-base.
            var divergedNow = e.Rejection.Reason == RejectionReason.LocalCopyDiverged;
            var blocked = failures >= BlockAfterFailures || divergedNow || e.Rejection.Reason == RejectionReason.TableIncompatible;
            var error = e.Rejection.Describe();
            LogRejected(logger, feed.Dataset, feed.Region, e.Rejection.Reason, e.Rejection.Message, e.QuarantinedAs);
            result = new FeedSyncResult(feed.Dataset, feed.Region, blocked ? FeedOutcome.Blocked : FeedOutcome.Failed, from, e.Applied, Math.Max(latest, e.Latest), e.Rows, error);
            health = health with
            {
                LatestKnownSequence = Math.Max(latest, e.Latest), ConsecutiveFailures = failures, Blocked = blocked, Diverged = health.Diverged || divergedNow,
                LastError = error, LastErrorAt = time.GetUtcNow(),
            };
        }
        catch (Exception e) when (IsTransportOrServer(e) && !ct.IsCancellationRequested)
        {
            // Outages are not the feed's fault: they are shown and reported but never count toward blocking.
            var now = (await target.GetPositionAsync(feed.Dataset, feed.Region, ct))?.Sequence ?? from;
            LogUnavailable(logger, feed.Dataset, feed.Region, e.Message);
            result = new FeedSyncResult(feed.Dataset, feed.Region, FeedOutcome.Failed, from, now, latest, 0, e.Message);
            health = health with { LastError = e.Message, LastErrorAt = time.GetUtcNow() };
        }

        if (diverged && result.Error is not null)
        {
            // A repair that failed (no snapshot, server down …) leaves the table as wrong as before: keep the block
            // and its divergence mark, or the next newer sequence would unblock it.
            health = Divergence.Mark(health, divergence ?? result.Error!, health.LastErrorAt ?? started);
        }

        await target.SaveHealthAsync(health with { LastAttemptAt = started }, ct);
        await RecordAsync(result, started, clock, ct);
        return result;
    }

    private async Task<Pulled> PullAsync(FeedInfo feed, FeedContext context, FeedPosition? position, CancellationToken ct)
    {
        var applied = position?.Sequence ?? 0;
        var latest = feed.LatestSequence;
        long rows = 0;
        string? rebuilt = null;
        if (!RegionCode.TryParse(feed.Region, out var region) || !ManifestCheck.InScope(context.Scope, region))
        {
            var rejection = new RejectedException(RejectionReason.RegionOutOfScope, $"the server listed feed {feed.Dataset}/{feed.Region}, outside this agent's scope ({context.Scope}); nothing was downloaded");
            throw new FeedRejectedException(rejection, applied, latest, rows, null);
        }

        // The cursor is the sequence the next manifest must follow: the applied one, or the one before the latest
        // snapshot when the feed starts over from it.
        var cursor = applied;
        Baseline? baseline;
        try
        {
            baseline = Baseline.Decide(feed, position, context.Rebaseline);
        }
        catch (RejectedException rejection)
        {
            throw new FeedRejectedException(rejection, applied, latest, rows, null);
        }

        var rebased = baseline is not null && position is not null;
        if (baseline is { } start)
        {
            cursor = start.Snapshot - 1;
            if (context.Rebaseline)
            {
                await target.ForgetPositionAsync(feed.Dataset, feed.Region, ct);
            }
        }

        while (cursor < latest)
        {
            ChangesPage page;
            try
            {
                page = await client.GetChangesAsync(feed.Dataset, feed.Region, cursor, ct);
            }
            catch (ServerProblemException e) when (e.ProblemType == ServerProblemException.SequenceExpired && baseline is null)
            {
                // Offline past retention: the deltas after the applied sequence are gone; start over from the snapshot.
                try
                {
                    baseline = Baseline.Expired(feed, e);
                }
                catch (RejectedException rejection)
                {
                    throw new FeedRejectedException(rejection, applied, latest, rows, null);
                }

                cursor = baseline.Snapshot - 1;
                rebased = position is not null;
                continue;
            }

            latest = Math.Max(latest, page.LatestSequence);
            if (page.Manifests.Count == 0)
            {
                break;
            }

            foreach (var element in page.Manifests)
            {
                var envelope = System.Text.Encoding.UTF8.GetBytes(element.GetRawText());
                Manifest? manifest = null;
                try
                {
                    manifest = ManifestCheck.Verify(context.Verifier, envelope, feed.Dataset, region, context.Scope, cursor);
                    if (baseline is not null && manifest.Kind != ExtractKind.Snapshot)
                    {
                        throw new RejectedException(RejectionReason.SequenceSkipped, $"expected the snapshot at sequence {manifest.Sequence} of {feed.Dataset}/{feed.Region} to start over from ({baseline.Reason}) but the server sent a {manifest.Kind}");
                    }

                    var startingOver = baseline is not null;
                    baseline = null;
                    if (!startingOver && manifest.Kind == ExtractKind.Snapshot && await target.RecordUnchangedSnapshotAsync(manifest, ct))
                    {
                        LogSnapshotSkipped(logger, manifest.Dataset, manifest.Region.Value, manifest.Sequence);
                        applied = cursor = manifest.Sequence;
                        continue;
                    }

                    var result = await ApplyVerifiedAsync(manifest, ct);
                    rows += result.Upserts + result.Deletes;
                    rebuilt ??= result.RebuildReason;
                    applied = cursor = manifest.Sequence;
                }
                catch (RejectedException rejection)
                {
                    var kept = Keep(feed, applied, manifest, envelope, rejection);
                    throw new FeedRejectedException(rejection, applied, latest, rows, kept);
                }
            }
        }

        return new Pulled(applied, latest, rows, rebased, rebuilt);
    }

    private async Task<ApplyResult> ApplyVerifiedAsync(Manifest manifest, CancellationToken ct)
    {
        var definition = await catalog.GetAsync(manifest.Dataset, manifest.SchemaHash, ct);
        var staged = await downloader.DownloadAsync(manifest, ct);
        ApplyResult result;
        await using (var file = new FileStream(staged.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
        {
            await using var reader = await ExtractCheck.OpenAsync(file, definition, manifest, ct);
            try
            {
                result = await target.ApplyAsync(definition, manifest, reader, ct);
            }
            catch (LocalCopyDivergedException e)
            {
                throw new RejectedException(RejectionReason.LocalCopyDiverged, e.Message);
            }
            catch (SequenceGapException e)
            {
                throw new RejectedException(RejectionReason.SequenceSkipped, e.Message);
            }
            catch (TableIncompatibleException e)
            {
                throw new RejectedException(RejectionReason.TableIncompatible, e.Message);
            }
        }

        File.Delete(staged.Path);
        LogApplied(logger, manifest.Dataset, manifest.Region.Value, manifest.Sequence, result.Upserts, result.Deletes);
        return result;
    }

    private string Keep(FeedInfo feed, long applied, Manifest? manifest, byte[] envelope, RejectedException rejection)
    {
        var feedName = $"{feed.Dataset}/{feed.Region}";
        if (manifest is null)
        {
            // Rejected before a trustworthy file name existed: keep the envelope itself.
            return quarantine.Put(
                string.Create(CultureInfo.InvariantCulture, $"{feed.Dataset}.{feed.Region}.after-{applied}.manifest.json"), null, envelope, rejection, feedName);
        }

        var part = StagingPaths.Part(options.ResolvedStagingFolder, manifest);
        var final = StagingPaths.Final(options.ResolvedStagingFolder, manifest);
        var staged = File.Exists(part) ? part : File.Exists(final) ? final : null;
        return quarantine.Put(staged is null ? manifest.File.Name + ".manifest.json" : manifest.File.Name, staged, envelope, rejection, feedName);
    }

    private async Task RecordAsync(FeedSyncResult result, DateTimeOffset started, long clock, CancellationToken ct)
    {
        var run = new RunRecord(
            result.Dataset, result.Region, result.FromSequence, result.ToSequence, result.Rows,
            (long)time.GetElapsedTime(clock).TotalMilliseconds, result.OutcomeText, result.Error, started);
        await target.AppendRunAsync(run, ct);
        try
        {
            await client.ReportRunAsync(run, ct);
        }
        catch (Exception e) when (IsTransportOrServer(e) && !ct.IsCancellationRequested)
        {
            // The run is in backflow_runs; the server learns the position from the next report or feed request.
            LogReportFailed(logger, result.Dataset, result.Region, e.Message);
        }
    }

    private static bool IsTransportOrServer(Exception e) =>
        e is HttpRequestException or ServerProblemException or IOException or TimeoutRejectedException or TaskCanceledException
            or System.Text.Json.JsonException;

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Dataset}/{Region} sequence {Sequence}: {Upserts} upserts, {Deletes} deletes")]
    private static partial void LogApplied(ILogger logger, string dataset, string region, long sequence, long upserts, long deletes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot {Sequence} of {Dataset}/{Region} holds exactly the rows already applied; recorded without downloading it")]
    private static partial void LogSnapshotSkipped(ILogger logger, string dataset, string region, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebuilt the table of {Dataset} under its new schema while loading the re-base snapshot of {Region}: {Reason}")]
    private static partial void LogRebuilt(ILogger logger, string dataset, string region, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rejected an extract of {Dataset}/{Region}: {Reason}: {Detail}; quarantined as {QuarantinedAs}")]
    private static partial void LogRejected(ILogger logger, string dataset, string region, RejectionReason reason, string detail, string? quarantinedAs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {Dataset}/{Region} could not be synced now: {Error}")]
    private static partial void LogUnavailable(ILogger logger, string dataset, string region, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report the run of {Dataset}/{Region} to the server: {Error}")]
    private static partial void LogReportFailed(ILogger logger, string dataset, string region, string error);

    /// <summary>How far a pull got: applied and latest sequence, rows changed, whether it started over from a snapshot,
    /// and why the table was rebuilt (null when it was not).</summary>
    private sealed record Pulled(long Applied, long Latest, long Rows, bool Rebased, string? Rebuilt);
}
