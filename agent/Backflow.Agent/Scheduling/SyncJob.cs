using Backflow.Agent.Sync;
using Quartz;

namespace Backflow.Agent.Scheduling;

/// <summary>
/// Syncs one dataset's feeds. One job (key) per dataset and <see cref="DisallowConcurrentExecutionAttribute"/>, so
/// a slow sync delays the next firing of the same dataset instead of running beside it.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class SyncJob(SyncService sync, ILogger<SyncJob> logger) : IJob
{
    public const string DatasetKey = "dataset";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var dataset = context.MergedJobDataMap.GetString(DatasetKey);
        try
        {
            var report = await sync.SyncAsync(dataset, retryBlocked: false, cancellationToken);
            if (report.Error is not null)
            {
                LogFeedListFailed(logger, dataset ?? "every dataset", report.NetworkProblem ?? report.Error);
            }

            foreach (var feed in report.Feeds)
            {
                // Failures at Warning/Error so that the journal and the Windows event log show them as such, not as information.
                var level = feed.Outcome switch
                {
                    FeedOutcome.Failed or FeedOutcome.Blocked => LogLevel.Error,
                    FeedOutcome.Behind => LogLevel.Warning,
                    _ => LogLevel.Information,
                };
                if (feed.Error is null)
                {
                    LogFeed(logger, level, feed.Dataset, feed.Region, feed.OutcomeText, feed.ToSequence, feed.LatestSequence);
                }
                else
                {
                    LogFeedError(logger, level, feed.Dataset, feed.Region, feed.OutcomeText, feed.ToSequence, feed.LatestSequence, feed.Error);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A job that throws is only logged by Quartz; log it here with the dataset so the operator sees which.
            LogFailed(logger, e, dataset);
        }
    }

    [LoggerMessage(Message = "Sync of {Dataset}/{Region}: {Outcome} at {Applied} of {Latest}")]
    private static partial void LogFeed(ILogger logger, LogLevel level, string dataset, string region, string outcome, long applied, long latest);

    [LoggerMessage(Message = "Sync of {Dataset}/{Region}: {Outcome} at {Applied} of {Latest}: {Error}")]
    private static partial void LogFeedError(ILogger logger, LogLevel level, string dataset, string region, string outcome, long applied, long latest, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync of {Dataset}: could not list this agent's feeds: {Error}")]
    private static partial void LogFeedListFailed(ILogger logger, string dataset, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled sync of {Dataset} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string? dataset);
}
