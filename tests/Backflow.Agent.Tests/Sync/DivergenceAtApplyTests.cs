using Backflow.Agent.Sync;
using Backflow.Agent.Tests.Scheduling;
using Backflow.Agent.Tests.Support;

namespace Backflow.Agent.Tests.Sync;

/// <summary>A checksum mismatch after applying an extract is not transient: the feed blocks at once as diverged.</summary>
public sealed class DivergenceAtApplyTests
{
    [Fact]
    public async Task A_checksum_mismatch_at_apply_blocks_at_the_first_failure_as_diverged_and_rolls_the_extract_back()
    {
        await using var agent = await AgentFixture.StartAsync(sqlite: true);
        await agent.Server.PublishAsync("330106", 1);
        await agent.SyncAsync();
        // Someone adds by hand a row that the next delta upserts: the row it replaces was never in the checksum, so the
        // region's state after the delta no longer adds up.
        await VerifyScheduleTests.ExecuteAsync(agent, "INSERT INTO test_entities (id, name, county_code, amount) VALUES ('330106-2-0', 'by hand', '330106', NULL)");
        await agent.Server.PublishAsync("330106", 2);

        var first = agent.Only(await agent.SyncAsync());
        await agent.Server.PublishAsync("330106", 3);
        var requests = agent.Server.ExtractRequests.Count;
        var next = agent.Only(await agent.SyncAsync());

        Assert.Equal((FeedOutcome.Blocked, 1L), (first.Outcome, first.ToSequence));
        Assert.StartsWith("LocalCopyDiverged: local copy diverged", first.Error, StringComparison.Ordinal);
        Assert.Contains("backflow-agent repair --dataset test-entities", first.Error, StringComparison.Ordinal);
        var health = await agent.AnyTarget.GetHealthAsync(TestCatalog.Dataset, "330106", CancellationToken.None);
        Assert.True(health is { Diverged: true, Blocked: true, ConsecutiveFailures: 1 });
        Assert.Equal(1, (await agent.AnyTarget.GetPositionAsync(TestCatalog.Dataset, "330106", CancellationToken.None))!.Sequence);
        Assert.Equal(FeedOutcome.Blocked, next.Outcome);
        Assert.Contains("diverged — run `backflow-agent repair --dataset test-entities`", next.Error, StringComparison.Ordinal);
        Assert.Equal(requests, agent.Server.ExtractRequests.Count);
    }
}
