using Backflow.Agent.Feeds;
using Backflow.Agent.Hosting;
using Backflow.Agent.Loading;
using Backflow.Agent.Sync;
using Quartz;

namespace Backflow.Agent.Scheduling;

/// <summary>
/// At service start, finds the subscribed datasets (granted by the server, already held locally, or named in
/// <c>Backflow:Schedules</c>) and schedules them before the Quartz hosted service starts the scheduler.
/// </summary>
internal sealed partial class ScheduleRegistration(
    ISchedulerFactory schedulers,
    SyncService sync,
    ILoadTarget target,
    ServerEndpoint endpoint,
    AgentOptions options,
    ILogger<ScheduleRegistration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await target.InitializeAsync(cancellationToken);
        var datasets = new SortedSet<string>(options.Schedules.Keys, StringComparer.Ordinal);
        datasets.UnionWith((await target.ListPositionsAsync(cancellationToken)).Select(p => p.Dataset));
        datasets.UnionWith(await sync.GrantedDatasetsAsync(cancellationToken));
        var offset = AgentOffset.Seconds(endpoint.Identity.AgentId);
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await FeedScheduler.ScheduleAsync(scheduler, datasets, options, offset, cancellationToken);
        foreach (var dataset in datasets)
        {
            LogScheduled(logger, dataset, CronOffset.Apply(options.ScheduleFor(dataset), offset), offset);
        }

        LogVerifyScheduled(logger, CronOffset.Apply(options.VerifySchedule, offset));
        if (datasets.Count == 0)
        {
            LogNothing(logger);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled {Dataset} on cron '{Cron}' (agent offset {Offset}s) plus a sync now")]
    private static partial void LogScheduled(ILogger logger, string dataset, string cron, int offset);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled the verify of every held feed on cron '{Cron}'")]
    private static partial void LogVerifyScheduled(ILogger logger, string cron);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No datasets to schedule: the server was unreachable or granted none; restart the service once grants exist")]
    private static partial void LogNothing(ILogger logger);
}
