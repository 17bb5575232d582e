using Backflow.Agent.Hosting;
using Backflow.Agent.Scheduling;
using Quartz;

namespace Backflow.Agent.Tests.Scheduling;

public sealed class ScheduleTests
{
    [Fact]
    public void The_agent_offset_is_stable_and_within_the_ten_minute_window()
    {
        var offsets = Enumerable.Range(0, 2000).Select(i => AgentOffset.Seconds($"agent-{i:x10}")).ToList();

        Assert.All(offsets, o => Assert.InRange(o, 0, AgentOffset.WindowSeconds - 1));
        Assert.Equal(AgentOffset.Seconds("agent-1a2b3c4d5e"), AgentOffset.Seconds("agent-1a2b3c4d5e"));

        // Spread, not clustered: 2000 agents land on most of the 600 seconds.
        Assert.True(offsets.Distinct().Count() > 500, $"only {offsets.Distinct().Count()} distinct offsets");
    }

    [Theory]
    [InlineData("0 0/10 * * * ?", 437, "17 7/10 * * * ?")]
    [InlineData("0 0/10 * * * ?", 0, "0 0/10 * * * ?")]
    [InlineData("0 */15 * * * ?", 599, "59 9/15 * * * ?")]
    [InlineData("0 30 2 * * ?", 437, "17 30 2 * * ?")]
    [InlineData("5 0/10 * * * ?", 437, "5 7/10 * * * ?")]
    public void The_offset_moves_seconds_and_minute_within_the_cron_window(string cron, int offset, string expected)
    {
        Assert.Equal(expected, CronOffset.Apply(cron, offset));
    }

    [Fact]
    public void The_default_schedule_fires_every_ten_minutes_at_the_agents_offset()
    {
        var cron = CronExpression.Parse(CronOffset.Apply(new AgentOptions().DefaultSchedule, 437));
        var first = cron.GetNextValidTimeAfter(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero))!.Value;
        var second = cron.GetNextValidTimeAfter(first)!.Value;

        Assert.Equal((7, 17), (first.Minute, first.Second));
        Assert.Equal(TimeSpan.FromMinutes(10), second - first);
    }

    [Fact]
    public void A_bad_cron_is_refused_with_an_example()
    {
        var error = Assert.Throws<FormatException>(() => CronOffset.Apply("every ten minutes", 5));
        Assert.Contains("0 0/10 * * * ?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_dataset_gets_a_non_concurrent_job_a_cron_trigger_that_fires_once_after_a_misfire_and_a_startup_trigger()
    {
        var options = new AgentOptions { Schedules = { ["household-changes"] = "0 0 2 * * ?" } };

        var plan = FeedScheduler.Plan(["market-entities", "household-changes", "market-entities"], options, 437);

        Assert.Equal(["sync-household-changes", "sync-market-entities"], plan.Select(p => p.Job.Key.Name));
        Assert.All(plan, p => Assert.True(p.Job.ConcurrentExecutionDisallowed));
        Assert.NotNull(Attribute.GetCustomAttribute(typeof(SyncJob), typeof(DisallowConcurrentExecutionAttribute)));
        var crons = plan.Select(p => Assert.Single(p.Triggers.OfType<ICronTrigger>())).ToList();
        Assert.Equal(["17 0 2 * * ?", "17 7/10 * * * ?"], crons.Select(c => c.CronExpressionString));
        Assert.All(crons, c => Assert.Equal(CronTriggerMisfireInstruction.FireAndProceed, (CronTriggerMisfireInstruction)c.MisfireInstruction));
        Assert.All(plan, p => Assert.Single(p.Triggers.OfType<ISimpleTrigger>()));
        Assert.Equal("market-entities", plan[1].Job.JobDataMap.GetString(SyncJob.DatasetKey));
    }
}
