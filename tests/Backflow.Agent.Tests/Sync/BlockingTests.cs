using Backflow.Agent.Sync;
using Backflow.Agent.Tests.Support;

namespace Backflow.Agent.Tests.Sync;

public sealed class BlockingTests
{
    [Fact]
    public async Task Three_failures_in_a_row_block_the_feed_and_a_blocked_feed_is_skipped()
    {
        await using var agent = await AgentFixture.StartAsync();
        var extract = await agent.Server.PublishAsync("330106", 1);
        extract.File = extract.File[..^10];

        Assert.Equal(FeedOutcome.Failed, agent.Only(await agent.SyncAsync()).Outcome);
        Assert.Equal(FeedOutcome.Failed, agent.Only(await agent.SyncAsync()).Outcome);
        Assert.Equal(FeedOutcome.Blocked, agent.Only(await agent.SyncAsync()).Outcome);
        var requests = agent.Server.ExtractRequests.Count;

        var skipped = agent.Only(await agent.SyncAsync());

        Assert.Equal(FeedOutcome.Blocked, skipped.Outcome);
        Assert.Equal(requests, agent.Server.ExtractRequests.Count);
        Assert.Empty(agent.Target.Applied);
        Assert.Equal(3, agent.QuarantineNotes().Length);
    }

    [Fact]
    public async Task A_newer_manifest_unblocks_the_feed()
    {
        await using var agent = await AgentFixture.StartAsync();
        var extract = await agent.Server.PublishAsync("330106", 1);
        var good = extract.File;
        extract.File = good[..^10];
        for (var i = 0; i < 3; i++)
        {
            await agent.SyncAsync();
        }

        extract.File = good;
        await agent.Server.PublishAsync("330106", 2);

        var feed = agent.Only(await agent.SyncAsync());

        Assert.Equal(FeedOutcome.Current, feed.Outcome);
        var health = await agent.Target.GetHealthAsync(feed.Dataset, feed.Region, CancellationToken.None);
        Assert.Equal((0, false, (string?)null), (health!.ConsecutiveFailures, health.Blocked, health.LastError));
    }

    [Fact]
    public async Task Retry_blocked_tries_a_blocked_feed_again()
    {
        await using var agent = await AgentFixture.StartAsync();
        var extract = await agent.Server.PublishAsync("330106", 1);
        var good = extract.File;
        extract.File = good[..^10];
        for (var i = 0; i < 3; i++)
        {
            await agent.SyncAsync();
        }

        extract.File = good;
        Assert.Equal(FeedOutcome.Blocked, agent.Only(await agent.SyncAsync()).Outcome);

        Assert.Equal(FeedOutcome.Current, agent.Only(await agent.SyncAsync(retryBlocked: true)).Outcome);
        Assert.Equal([1L], agent.Target.Applied.Select(a => a.Sequence));
    }
}
