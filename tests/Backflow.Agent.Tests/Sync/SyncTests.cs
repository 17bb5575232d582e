using Backflow.Agent.Sync;
using Backflow.Agent.Tests.Support;

namespace Backflow.Agent.Tests.Sync;

public sealed class SyncTests
{
    [Fact]
    public async Task Sync_applies_every_new_sequence_in_order_and_ends_current()
    {
        await using var agent = await AgentFixture.StartAsync();
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            await agent.Server.PublishAsync("330106", sequence);
        }

        var report = await agent.SyncAsync();

        Assert.True(report.AllCurrent);
        var feed = agent.Only(report);
        Assert.Equal((FeedOutcome.Current, 0L, 3L, 9L), (feed.Outcome, feed.FromSequence, feed.ToSequence, feed.Rows));
        Assert.Equal([1L, 2L, 3L], agent.Target.Applied.Select(a => a.Sequence));
        Assert.Empty(agent.QuarantineNotes());
        Assert.Empty(Directory.GetFiles(Path.Combine(agent.StateDirectory, "staging"), "*.parquet*"));
        var run = Assert.Single(agent.Server.Runs);
        Assert.Equal("current", run.GetProperty("outcome").GetString());
        Assert.Equal(3, run.GetProperty("toSequence").GetInt64());
    }

    [Fact]
    public async Task A_second_sync_continues_after_the_applied_sequence()
    {
        await using var agent = await AgentFixture.StartAsync();
        await agent.Server.PublishAsync("330106", 1);
        await agent.SyncAsync();
        await agent.Server.PublishAsync("330106", 2);

        var feed = agent.Only(await agent.SyncAsync());

        Assert.Equal((FeedOutcome.Current, 1L, 2L), (feed.Outcome, feed.FromSequence, feed.ToSequence));
        Assert.Equal([1L, 2L], agent.Target.Applied.Select(a => a.Sequence));
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_shows_in_status_instead_of_a_clean_current_feed()
    {
        await using var agent = await AgentFixture.StartAsync();
        await agent.Server.PublishAsync("330106", 1);
        await agent.SyncAsync();
        await agent.Server.DisposeAsync();

        // The retry delays run on the fixture's fake clock: move it until the sync gives up.
        var syncing = agent.SyncAsync();
        while (!syncing.IsCompleted)
        {
            agent.Time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(10);
        }

        var report = await syncing;

        Assert.NotNull(report.Error);
        var status = Assert.Single(await new StatusReader(agent.AnyTarget).ReadAsync(CancellationToken.None));
        Assert.Equal(1L, status.AppliedSequence);
        Assert.StartsWith("server unreachable: ", status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_new_is_current_without_downloading()
    {
        await using var agent = await AgentFixture.StartAsync();
        await agent.Server.PublishAsync("330106", 1);
        await agent.SyncAsync();
        var requests = agent.Server.ExtractRequests.Count;

        var report = await agent.SyncAsync();

        Assert.True(report.AllCurrent);
        Assert.Equal(requests, agent.Server.ExtractRequests.Count);
    }
}
