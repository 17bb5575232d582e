using Backflow.Server.Catalog;
using Backflow.Server.Feeds;
using Backflow.Server.Hosting;
using Backflow.Server.Metadata;
using Microsoft.Extensions.Options;
using Quartz;

namespace Backflow.Server.Snapshots;

/// <summary>
/// Builds a snapshot of every region that changed enough since its last one (<see cref="SnapshotOptions"/>), so
/// late agents bootstrap from recent rows and retention can drop old deltas.
/// </summary>
[DisallowConcurrentExecution]
internal sealed partial class SnapshotJob(
    MetadataDatabase database,
    CatalogService catalog,
    SnapshotBuilder builder,
    IOptions<SnapshotOptions> options,
    ILogger<SnapshotJob> logger) : IJob
{
    public const string Actor = "job:snapshots";

    internal sealed class Schedule(IOptions<SnapshotOptions> options) : IJobSchedule
    {
        public async Task ScheduleAsync(IScheduler scheduler, CancellationToken cancellationToken)
        {
            var job = JobBuilder.Create<SnapshotJob>().WithIdentity("snapshots").Build();
            var trigger = TriggerBuilder.Create().WithIdentity("snapshots-cron").WithCronSchedule(options.Value.Cron).Build();
            await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
        }
    }

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        foreach (var dataset in catalog.All)
        {
            IReadOnlyList<FeedState> feeds;
            using (var connection = database.Open())
            {
                feeds = [.. FeedStore.ForDataset(connection, dataset.Id).Where(f => IsDue(connection, f))];
            }

            foreach (var feed in feeds)
            {
                try
                {
                    var result = await builder.BuildRegionAsync(dataset, feed.Region, newGeneration: false, Actor, cancellationToken);
                    LogBuilt(logger, dataset.Id, feed.Region, result.Sequence, result.Rows);
                }
                catch (Exception e) when (e is UserError or Rebasing.RebaseRequiredException or InvalidOperationException or SnapshotConflictException or IOException)
                {
                    // One region's problem must not stop the others; it is retried at the next run.
                    LogFailed(logger, e, dataset.Id, feed.Region, e.Message);
                }
            }
        }
    }

    private bool IsDue(Microsoft.Data.Sqlite.SqliteConnection connection, FeedState feed)
    {
        var (deltas, changed) = SnapshotStore.ChangesSinceSnapshot(connection, feed.Dataset, feed.Region);
        var settings = options.Value;
        return deltas > 0 && (deltas >= settings.MinDeltas || changed >= settings.MinChangedFraction * Math.Max(1, feed.Checksum.RowCount));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshot of {Dataset}/{Region} published as sequence {Sequence} ({Rows} rows)")]
    private static partial void LogBuilt(ILogger logger, string dataset, string region, long sequence, long rows);

    [LoggerMessage(Level = LogLevel.Error, Message = "Snapshot of {Dataset}/{Region} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string dataset, string region, string error);
}
