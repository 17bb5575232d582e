using Backflow.Agent.Hosting;
using Quartz;

namespace Backflow.Agent.Scheduling;

/// <summary>
/// Puts one <see cref="SyncJob"/> per dataset on a Quartz scheduler: a cron trigger (offset per agent, misfires
/// fire once as soon as possible) and a start-up trigger, so the agent is current soon after every (re)start.
/// Plus one <see cref="VerifyJob"/> for every held feed on <see cref="AgentOptions.VerifySchedule"/>, with no start-up
/// trigger: it is a full scan of every table, too heavy to repeat at each restart.
/// </summary>
internal static class FeedScheduler
{
    public static readonly JobKey VerifyJobKey = new("verify", "backflow");

    public static JobKey JobKeyOf(string dataset) => new($"sync-{dataset}", "backflow");

    public static (IJobDetail Job, IReadOnlyCollection<ITrigger> Triggers) PlanVerify(AgentOptions options, int offsetSeconds)
    {
        var job = JobBuilder.Create<VerifyJob>().WithIdentity(VerifyJobKey).Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity("cron-verify", "backflow")
            .ForJob(VerifyJobKey)
            .WithCronSchedule(CronOffset.Apply(options.VerifySchedule, offsetSeconds), c => c.WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        return (job, new[] { trigger });
    }

    public static IReadOnlyList<(IJobDetail Job, IReadOnlyCollection<ITrigger> Triggers)> Plan(
        IEnumerable<string> datasets, AgentOptions options, int offsetSeconds)
    {
        var plan = new List<(IJobDetail Job, IReadOnlyCollection<ITrigger> Triggers)>();
        foreach (var dataset in datasets.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var key = JobKeyOf(dataset);
            var job = JobBuilder.Create<SyncJob>().WithIdentity(key).UsingJobData(SyncJob.DatasetKey, dataset).Build();
            var cron = CronOffset.Apply(options.ScheduleFor(dataset), offsetSeconds);
            var scheduled = TriggerBuilder.Create()
                .WithIdentity($"cron-{dataset}", "backflow")
                .ForJob(key)
                .WithCronSchedule(cron, c => c.WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                .Build();
            var startup = TriggerBuilder.Create().WithIdentity($"startup-{dataset}", "backflow").ForJob(key).StartNow().Build();
            plan.Add((job, new[] { scheduled, startup }));
        }

        return plan;
    }

    public static async Task ScheduleAsync(IScheduler scheduler, IEnumerable<string> datasets, AgentOptions options, int offsetSeconds, CancellationToken ct)
    {
        foreach (var (job, triggers) in Plan(datasets, options, offsetSeconds))
        {
            await scheduler.ScheduleJob(job, triggers, new ScheduleJobOptions { Replace = true }, ct);
        }

        // Scheduled even with nothing held yet: feeds appear after the first sync, and the job finds them then.
        var (verifyJob, verifyTriggers) = PlanVerify(options, offsetSeconds);
        await scheduler.ScheduleJob(verifyJob, verifyTriggers, new ScheduleJobOptions { Replace = true }, ct);
    }
}
