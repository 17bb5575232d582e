using Backflow.Server.Hosting;
using Microsoft.Extensions.Options;
using Quartz;

namespace Backflow.Server.Alerts;

/// <summary>Evaluates the alert rules on the configured interval.</summary>
[DisallowConcurrentExecution]
internal sealed class AlertJob(AlertBoard board) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await board.EvaluateAsync(cancellationToken);

    internal sealed class Schedule(IOptions<AlertOptions> options, TimeProvider time) : IJobSchedule
    {
        public async Task ScheduleAsync(IScheduler scheduler, CancellationToken cancellationToken)
        {
            var job = JobBuilder.Create<AlertJob>().WithIdentity("alerts").Build();
            // First run one interval after start : agents need a moment to report after a server restart.
            var trigger = TriggerBuilder.Create().WithIdentity("alerts-interval")
                .StartAt(time.GetUtcNow() + options.Value.Interval)
                .WithSimpleSchedule(s => s.WithInterval(options.Value.Interval).RepeatForever())
                .Build();
            await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
        }
    }
}
