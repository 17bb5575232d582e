using Backflow.Agent.Hosting;
using Backflow.Agent.Loading;
using Backflow.Agent.Loading.Postgres;
using Backflow.Agent.Tests.Support;
using static Backflow.Agent.Tests.Loading.LoadHarness;
using static Backflow.Agent.Tests.Loading.LoadingDatasets;

namespace Backflow.Agent.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStateTests(PostgresServer server)
{
    [Fact]
    public async Task Runs_round_trip_newest_first_and_filter_by_dataset()
    {
        await using var h = await PostgresHarness.StartAsync(server);

        // timestamptz keeps microseconds: whole microseconds round-trip exactly, in UTC.
        var at = new DateTimeOffset(2025, 6, 1, 8, 0, 0, 123, TimeSpan.FromHours(8)).AddTicks(4560);
        var first = new RunRecord("every-type", Region, 0, 3, 120, 45, "current", null, at.ToUniversalTime());
        var second = new RunRecord("market-entities", Region, 3, 3, 0, 2, "failed", "签名无效 (signature invalid)", at.AddMinutes(5).ToUniversalTime());
        await h.Target.AppendRunAsync(first, CancellationToken.None);
        await h.Target.AppendRunAsync(second, CancellationToken.None);

        Assert.Equal([second, first], await h.Target.RecentRunsAsync(null, 10, CancellationToken.None));
        Assert.Equal([first], await h.Target.RecentRunsAsync("every-type", 10, CancellationToken.None));
        Assert.Equal([second], await h.Target.RecentRunsAsync(null, 1, CancellationToken.None));
    }

    [Fact]
    public async Task Health_round_trips_and_is_replaced_per_feed()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        var now = h.Load.Time.GetUtcNow();
        var health = new FeedHealth("every-type", Region, 12, 3, true, "sequence gap", now, null, now.AddSeconds(1));
        await h.Target.SaveHealthAsync(health, CancellationToken.None);
        await h.Target.SaveHealthAsync(health with { Region = OtherRegion, Blocked = false, LastError = null, LastErrorAt = null }, CancellationToken.None);
        var recovered = health with { ConsecutiveFailures = 0, Blocked = false, LastSuccessAt = now.AddMinutes(2) };

        await h.Target.SaveHealthAsync(recovered, CancellationToken.None);

        Assert.Equal(recovered, await h.Target.GetHealthAsync("every-type", Region, CancellationToken.None));
        Assert.Null(await h.Target.GetHealthAsync("every-type", "330100", CancellationToken.None));
        Assert.Equal(2, (await h.Target.ListHealthAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Positions_are_listed_per_feed_forgotten_on_request_and_survive_a_new_target()
    {
        await using var h = await PostgresHarness.StartAsync(server);
        Assert.Empty(await h.Target.ListPositionsAsync(CancellationToken.None));
        await h.Load.ApplyAsync(1, [Upsert(Row(1))]);
        await h.Load.ApplyAsync(1, [Upsert(Row(1, OtherRegion)), Upsert(Row(2, OtherRegion))], region: OtherRegion);

        Assert.Equal([(Region, 1L), (OtherRegion, 2L)], (await h.Target.ListPositionsAsync(CancellationToken.None)).Select(p => (p.Region, p.RowCount)));
        await using (var reopened = new PostgresLoadTarget(h.ConnectionString, TimeProvider.System))
        {
            Assert.Equal(await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None), await reopened.GetPositionAsync(EveryType.Id, Region, CancellationToken.None));
        }

        await h.Target.ForgetPositionAsync(EveryType.Id, Region, CancellationToken.None);
        Assert.Null(await h.Target.GetPositionAsync(EveryType.Id, Region, CancellationToken.None));
        Assert.Single(await h.ReadTableAsync(region: Region));
    }

    [Fact]
    public async Task A_missing_schema_is_reported_with_how_to_create_it()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using var target = new PostgresLoadTarget(connectionString, TimeProvider.System, schema: "backflow");

        var error = await Assert.ThrowsAsync<AgentConfigurationException>(() => target.InitializeAsync(CancellationToken.None));

        Assert.Contains("no schema 'backflow'", error.Message, StringComparison.Ordinal);
        Assert.Contains("CREATE SCHEMA", error.Message, StringComparison.Ordinal);
        await server.DropDatabaseAsync(connectionString);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_reported_with_host_port_and_database()
    {
        var closedPort = server.Port == 1 ? 2 : 1;
        await using var target = new PostgresLoadTarget($"Host=127.0.0.1;Port={closedPort};Database=county;Username=agent;Timeout=5", TimeProvider.System);

        var error = await Assert.ThrowsAsync<AgentConfigurationException>(() => target.InitializeAsync(CancellationToken.None));

        Assert.Contains($"host '127.0.0.1', port {closedPort}, database 'county'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Backflow:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_does_not_exist_is_reported_as_configuration()
    {
        await using var target = new PostgresLoadTarget(server.AdminConnectionString.Replace("Database=postgres", "Database=no_such_db", StringComparison.Ordinal), TimeProvider.System);

        var error = await Assert.ThrowsAsync<AgentConfigurationException>(() => target.InitializeAsync(CancellationToken.None));

        Assert.Contains("database 'no_such_db'", error.Message, StringComparison.Ordinal);
    }
}
