using Backflow.Agent.Loading;
using Backflow.Agent.Reconciliation;
using Backflow.Agent.Sync;
using Backflow.Agent.Tests.Scheduling;
using Backflow.Agent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Backflow.Agent.Tests.Sync;

/// <summary>A diverged copy stays blocked until repair: newer sequences and --retry-blocked do not lift it.</summary>
public sealed class DivergenceTests
{
    [Fact]
    public async Task A_divergence_found_by_verify_is_not_unblocked_by_a_newer_sequence_or_retry_blocked()
    {
        await using var agent = await AgentFixture.StartAsync(sqlite: true);
        await agent.Server.PublishAsync("330106", 1);
        await agent.SyncAsync();
        await VerifyScheduleTests.ExecuteAsync(agent, "DELETE FROM test_entities");
        Assert.False(Assert.Single(await agent.Services.GetRequiredService<VerifyService>().VerifyAsync(null, CancellationToken.None)).Verified);
        await agent.Server.PublishAsync("330106", 2);
        var requests = agent.Server.ExtractRequests.Count;

        var newer = agent.Only(await agent.SyncAsync());
        var retried = agent.Only(await agent.SyncAsync(retryBlocked: true));

        Assert.Equal((FeedOutcome.Blocked, 1L), (newer.Outcome, newer.ToSequence));
        Assert.Contains("diverged — run `backflow-agent repair --dataset test-entities`", newer.Error, StringComparison.Ordinal);
        Assert.Equal((FeedOutcome.Blocked, 1L), (retried.Outcome, retried.ToSequence));
        Assert.Contains("--retry-blocked does not clear a divergence", retried.Error, StringComparison.Ordinal);
        Assert.Equal(requests, agent.Server.ExtractRequests.Count);
        var status = Assert.Single(await new StatusReader(agent.AnyTarget).ReadAsync(CancellationToken.None));
        Assert.True(status.Diverged && status.Blocked);
    }

    [Fact]
    public async Task A_divergence_at_apply_is_not_unblocked_by_a_newer_sequence()
    {
        await using var agent = await AgentFixture.StartAsync();
        await agent.Server.PublishAsync("330106", 1);
        await agent.SyncAsync();
        await agent.Server.PublishAsync("330106", 2);

        // What the synchronizer stores after the third rolled-back apply of sequence 2.
        await agent.Target.SaveHealthAsync(
            new FeedHealth(TestCatalog.Dataset, "330106", 2, 3, true, "LocalCopyDiverged: checksum mismatch", null, null, null, Diverged: true), CancellationToken.None);
        await agent.Server.PublishAsync("330106", 3);

        var feed = agent.Only(await agent.SyncAsync());

        Assert.Equal(FeedOutcome.Blocked, feed.Outcome);
        Assert.Equal([1L], agent.Target.Applied.Select(a => a.Sequence));
    }

    [Fact]
    public async Task A_failed_repair_keeps_the_divergence_block()
    {
        await using var agent = await AgentFixture.StartAsync();
        await agent.Server.PublishAsync("330106", 1);
        await agent.SyncAsync();
        await agent.Target.SaveHealthAsync(
            new FeedHealth(TestCatalog.Dataset, "330106", 1, 0, true, "LocalCopyDiverged: checksum mismatch", null, null, null, Diverged: true), CancellationToken.None);

        // The test server lists no snapshot, so the repair is attempted and fails.
        var repair = agent.Only(await agent.Services.GetRequiredService<SyncService>().SyncAsync(null, true, CancellationToken.None, rebaseline: true));
        await agent.Server.PublishAsync("330106", 2);
        var next = agent.Only(await agent.SyncAsync());

        Assert.Equal(FeedOutcome.Failed, repair.Outcome);
        Assert.Contains("snapshot", repair.Error, StringComparison.Ordinal);
        Assert.Equal(FeedOutcome.Blocked, next.Outcome);
        Assert.True(Divergence.Blocks(await agent.Target.GetHealthAsync(TestCatalog.Dataset, "330106", CancellationToken.None)));
    }

    [Fact]
    public async Task A_verification_failure_block_still_lifts_when_a_newer_sequence_appears()
    {
        await using var agent = await AgentFixture.StartAsync();
        await agent.Server.PublishAsync("330106", 1);
        await agent.Target.SaveHealthAsync(
            new FeedHealth(TestCatalog.Dataset, "330106", 0, 3, true, "HashMismatch: altered", null, null, null), CancellationToken.None);

        Assert.Equal(FeedOutcome.Current, agent.Only(await agent.SyncAsync()).Outcome);
    }
}
