using Backflow.Agent.Hosting;
using Backflow.Agent.Reconciliation;
using Backflow.Agent.Scheduling;
using Backflow.Agent.Sync;
using Backflow.Agent.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Backflow.Agent.Tests.Scheduling;

public sealed class VerifyScheduleTests
{
    [Fact]
    public void The_verify_is_one_non_concurrent_job_on_a_weekly_cron_at_the_agents_offset_without_a_startup_trigger()
    {
        var (job, triggers) = FeedScheduler.PlanVerify(new AgentOptions(), 437);

        Assert.Equal(FeedScheduler.VerifyJobKey, job.Key);
        Assert.Equal(typeof(VerifyJob), job.JobType.Type);
        Assert.True(job.ConcurrentExecutionDisallowed);
        var cron = Assert.IsAssignableFrom<ICronTrigger>(Assert.Single(triggers));
        Assert.Equal("17 30 3 ? * SUN", cron.CronExpressionString);
        Assert.Equal(CronTriggerMisfireInstruction.FireAndProceed, (CronTriggerMisfireInstruction)cron.MisfireInstruction);

        var expression = CronExpression.Parse(cron.CronExpressionString!);
        var first = expression.GetNextValidTimeAfter(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero))!.Value;
        Assert.Equal((DayOfWeek.Sunday, 3, 30, 17), (first.DayOfWeek, first.Hour, first.Minute, first.Second));
        Assert.Equal(TimeSpan.FromDays(7), expression.GetNextValidTimeAfter(first)!.Value - first);
    }

    [Fact]
    public void The_verify_schedule_is_configurable_and_checked_at_start()
    {
        var (_, triggers) = FeedScheduler.PlanVerify(new AgentOptions { VerifySchedule = "0 0 1 * * ?" }, 437);

        Assert.Equal("17 0 1 * * ?", Assert.IsAssignableFrom<ICronTrigger>(Assert.Single(triggers)).CronExpressionString);
        var error = Assert.Throws<AgentConfigurationException>(() => AgentOptionsValidator.Validate(new AgentOptions { VerifySchedule = "weekly" }));
        Assert.Contains("Backflow:VerifySchedule", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_schedules_the_verify_beside_the_sync_jobs()
    {
        await using var services = new ServiceCollection().AddLogging().AddQuartz().BuildServiceProvider();
        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        await FeedScheduler.ScheduleAsync(scheduler, ["market-entities"], new AgentOptions(), 437, CancellationToken.None);

        Assert.True(await scheduler.GetJobDetail(FeedScheduler.VerifyJobKey) is not null);
        Assert.True(await scheduler.GetJobDetail(FeedScheduler.JobKeyOf("market-entities")) is not null);
        await scheduler.Shutdown();
    }

    [Fact]
    public async Task The_verify_job_verifies_every_held_feed_and_blocks_a_diverged_one()
    {
        await using var agent = await AgentFixture.StartAsync(sqlite: true);
        await agent.Server.PublishAsync("330106", 1);
        await agent.SyncAsync();
        await ExecuteAsync(agent, "DELETE FROM test_entities");

        await using var quartz = new ServiceCollection()
            .AddLogging()
            .AddSingleton(agent.Services.GetRequiredService<VerifyService>())
            .AddQuartz()
            .BuildServiceProvider();
        var scheduler = await quartz.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var (job, _) = FeedScheduler.PlanVerify(new AgentOptions(), 0);
        await scheduler.ScheduleJob(job, TriggerBuilder.Create().ForJob(job.Key).StartNow().Build());
        await scheduler.Start();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!Divergence.Blocks(await agent.AnyTarget.GetHealthAsync(TestCatalog.Dataset, "330106", CancellationToken.None)))
        {
            await Task.Delay(20, timeout.Token);
        }

        await scheduler.Shutdown(waitForJobsToComplete: true);
        var run = Assert.Single(await agent.AnyTarget.RecentRunsAsync(null, 10, CancellationToken.None), r => VerificationOutcomes.IsVerification(r.Outcome));
        Assert.Equal(VerificationOutcomes.Diverged, run.Outcome);
    }

    [Fact]
    public async Task Verify_does_not_scan_a_feed_while_its_sync_holds_the_feed_lock()
    {
        await using var agent = await AgentFixture.StartAsync(sqlite: true);
        await agent.Server.PublishAsync("330106", 1);
        await agent.SyncAsync();
        await ExecuteAsync(agent, "DELETE FROM test_entities");
        var staging = agent.Services.GetRequiredService<AgentOptions>().ResolvedStagingFolder;

        IReadOnlyList<VerifyResult> results;
        using (FeedLock.TryAcquire(staging, TestCatalog.Dataset, "330106"))
        {
            results = await agent.Services.GetRequiredService<VerifyService>().VerifyAsync(null, CancellationToken.None);
        }

        var result = Assert.Single(results);
        Assert.True(result.Skipped);
        Assert.False((await agent.AnyTarget.GetHealthAsync(TestCatalog.Dataset, "330106", CancellationToken.None))?.Blocked ?? false);
        Assert.False(Assert.Single(await agent.Services.GetRequiredService<VerifyService>().VerifyAsync(null, CancellationToken.None)).Verified);
    }

    internal static async Task ExecuteAsync(AgentFixture agent, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(agent.StateDirectory, "backflow.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
