using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Backflow.Agent.Tests.Scheduling;

public sealed class QuartzOverlapTests
{
    [Fact]
    public async Task Two_triggers_of_one_feed_job_never_run_it_twice_at_once()
    {
        await using var services = new ServiceCollection().AddLogging().AddQuartz().BuildServiceProvider();
        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var key = new JobKey("sync-test-entities", "backflow");
        var job = JobBuilder.Create<SlowJob>().WithIdentity(key).Build();

        // The start-up trigger and a cron firing due at the same moment, as after a restart inside a window.
        ITrigger[] triggers =
        [
            TriggerBuilder.Create().WithIdentity("startup").ForJob(key).StartNow().Build(),
            TriggerBuilder.Create().WithIdentity("cron").ForJob(key).StartNow().Build(),
        ];
        await scheduler.ScheduleJob(job, triggers, new ScheduleJobOptions { Replace = true });
        await scheduler.Start();

        // Hold the first execution until the second trigger has certainly come due, then let both finish.
        await WaitUntilAsync(() => Volatile.Read(ref SlowJob.MaxConcurrent) >= 1);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        SlowJob.Release.SetResult();
        await WaitUntilAsync(() => Volatile.Read(ref SlowJob.Completed) >= 2);
        await scheduler.Shutdown(waitForJobsToComplete: true);

        Assert.Equal(1, SlowJob.MaxConcurrent);
        Assert.Equal(2, SlowJob.Completed);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
