using Backflow.Server.Hosting;
using Microsoft.Extensions.Options;
using Quartz;

namespace Backflow.Server.Retention;

/// <summary>Runs retention on its schedule (<see cref="RetentionOptions"/>).</summary>
[DisallowConcurrentExecution]
internal sealed partial class RetentionJob(RetentionService retention, IOptions<RetentionOptions> options, ILogger<RetentionJob> logger) : IJob
{
    public const string Actor = "job:retention";

    internal sealed class Schedule(IOptions<RetentionOptions> options) : IJobSchedule
    {
        public async Task ScheduleAsync(IScheduler scheduler, CancellationToken cancellationToken)
        {
            var job = JobBuilder.Create<RetentionJob>().WithIdentity("retention").Build();
            var trigger = TriggerBuilder.Create().WithIdentity("retention-cron").WithCronSchedule(options.Value.Cron).Build();
            await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
        }
    }

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        foreach (var removed in await retention.RunAsync(options.Value.Window, Actor, cancellationToken))
        {
            LogRemoved(logger, removed.Dataset, removed.Region, removed.Extracts, removed.FromSequence, removed.ToSequence, removed.OldestSequence);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention removed {Count} extract(s) of {Dataset}/{Region}, sequences {From}..{To}; oldest available {Oldest}")]
    private static partial void LogRemoved(ILogger logger, string dataset, string region, long count, long from, long to, long oldest);
}
