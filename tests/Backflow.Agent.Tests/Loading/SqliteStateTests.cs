using Backflow.Agent.Loading;
using static Backflow.Agent.Tests.Loading.LoadHarness;
using static Backflow.Agent.Tests.Loading.LoadingDatasets;

namespace Backflow.Agent.Tests.Loading;

public sealed class SqliteStateTests
{
    [Fact]
    public async Task Runs_round_trip_newest_first_and_filter_by_dataset()
    {
        await using var h = new LoadHarness();
        var at = new DateTimeOffset(2025, 6, 1, 8, 0, 0, 123, TimeSpan.FromHours(8)).AddTicks(4567);
        var first = new RunRecord("every-type", Region, 0, 3, 120, 45, "current", null, at);
        var second = new RunRecord("market-entities", Region, 3, 3, 0, 2, "failed", "签名无效 (signature invalid)", at.AddMinutes(5));
        await h.Target.AppendRunAsync(first, CancellationToken.None);
        await h.Target.AppendRunAsync(second, CancellationToken.None);

        var all = await h.Target.RecentRunsAsync(null, 10, CancellationToken.None);
        var one = await h.Target.RecentRunsAsync("every-type", 10, CancellationToken.None);
        var limited = await h.Target.RecentRunsAsync(null, 1, CancellationToken.None);

        Assert.Equal([second, first], all);
        Assert.Equal([first], one);
        Assert.Equal([second], limited);
    }

    [Fact]
    public async Task Health_round_trips_and_is_replaced_per_feed()
    {
        await using var h = new LoadHarness();
        var health = new FeedHealth("every-type", Region, 12, 3, true, "sequence gap", h.Time.GetUtcNow(), null, h.Time.GetUtcNow().AddSeconds(1));
        await h.Target.SaveHealthAsync(health, CancellationToken.None);
        await h.Target.SaveHealthAsync(health with { Region = OtherRegion, Blocked = false, LastError = null, LastErrorAt = null }, CancellationToken.None);
        var recovered = health with { ConsecutiveFailures = 0, Blocked = false, LastSuccessAt = h.Time.GetUtcNow().AddMinutes(2) };

        await h.Target.SaveHealthAsync(recovered, CancellationToken.None);

        Assert.Equal(recovered, await h.Target.GetHealthAsync("every-type", Region, CancellationToken.None));
        Assert.Null(await h.Target.GetHealthAsync("every-type", "330100", CancellationToken.None));
        Assert.Equal(2, (await h.Target.ListHealthAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Positions_are_listed_per_feed()
    {
        await using var h = new LoadHarness();
        Assert.Empty(await h.Target.ListPositionsAsync(CancellationToken.None));
        await h.ApplyAsync(1, [Upsert(Row(1))]);
        await h.ApplyAsync(1, [Upsert(Row(1, OtherRegion)), Upsert(Row(2, OtherRegion))], region: OtherRegion);

        var positions = await h.Target.ListPositionsAsync(CancellationToken.None);

        Assert.Equal([(Region, 1L), (OtherRegion, 2L)], positions.Select(p => (p.Region, p.RowCount)));
    }

    [Fact]
    public async Task State_survives_reopening_the_database()
    {
        string connection;
        FeedPosition? before;
        await using (var h = new LoadHarness())
        {
            await h.ApplyAsync(1, [Upsert(Row(1))]);
            connection = h.ConnectionString;
            before = await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None);
            await using var reopened = new Backflow.Agent.Loading.Sqlite.SqliteLoadTarget(connection, TimeProvider.System);
            Assert.Equal(before, await reopened.GetPositionAsync(EveryType.Id, Region, CancellationToken.None));
        }
    }
}
