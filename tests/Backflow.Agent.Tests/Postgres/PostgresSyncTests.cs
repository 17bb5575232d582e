using Backflow.Agent.Hosting;
using Backflow.Agent.Loading.Postgres;
using Backflow.Agent.Sync;
using Backflow.Agent.Tests.Support;

namespace Backflow.Agent.Tests.Postgres;

/// <summary>The whole sync path — feed, download, verify, apply, report — with the agent configured for PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSyncTests(PostgresServer server)
{
    [Fact]
    public async Task Sync_configured_for_postgresql_loads_the_rows_and_state_into_the_database()
    {
        var connectionString = await server.CreateDatabaseAsync();
        try
        {
            await using (var agent = await AgentFixture.StartAsync(sqlite: true, configure: o => (o.Database, o.ConnectionString) = ("postgresql", connectionString)))
            {
                Assert.IsType<PostgresLoadTarget>(agent.AnyTarget);
                await agent.Server.PublishAsync("330106", 1);
                await agent.Server.PublishAsync("330106", 2);

                var report = await agent.SyncAsync();

                Assert.True(report.AllCurrent, string.Join("; ", report.Feeds.Select(f => f.Error)));
                var status = Assert.Single(await new StatusReader(agent.AnyTarget).ReadAsync(CancellationToken.None));
                Assert.Equal((2L, 0L, 6L, false), (status.AppliedSequence, status.Lag, status.RowCount, status.Blocked));
                Assert.False(File.Exists(Path.Combine(agent.StateDirectory, "backflow.db")));
            }

            await using var check = new PostgresLoadTarget(connectionString, TimeProvider.System);
            Assert.Equal(2, (await check.GetPositionAsync(TestCatalog.Dataset, "330106", CancellationToken.None))!.Sequence);
            Assert.NotEmpty(await check.RecentRunsAsync(null, 10, CancellationToken.None));
            Assert.Equal(6, (await check.RecomputeAsync(TestCatalog.Definition, "330106", CancellationToken.None)).RowCount);
        }
        finally
        {
            await server.DropDatabaseAsync(connectionString);
        }
    }

    [Theory]
    [InlineData("Oracle", "Backflow:Database 'Oracle' is not a supported database; use one of: Sqlite, PostgreSQL")]
    [InlineData("PostgreSQL", "Backflow:Database is PostgreSQL but Backflow:ConnectionString is empty; set it")]
    public void A_wrong_database_setting_stops_the_agent_with_what_to_set(string database, string message)
    {
        var error = Assert.Throws<AgentConfigurationException>(() => AgentOptionsValidator.Validate(new AgentOptions { Database = database }));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_connection_string_or_schema_is_refused_at_start()
    {
        var options = new AgentOptions { Database = "PostgreSQL", ConnectionString = "Hots=db;Port=5432" };
        Assert.Contains("not a valid PostgreSQL connection string", Assert.Throws<AgentConfigurationException>(() => AgentOptionsValidator.Validate(options)).Message, StringComparison.Ordinal);

        options.ConnectionString = "Host=db;Database=backflow";
        options.PostgresSchema = "bad schema";
        Assert.Contains("Backflow:PostgresSchema 'bad schema'", Assert.Throws<AgentConfigurationException>(() => AgentOptionsValidator.Validate(options)).Message, StringComparison.Ordinal);
    }
}
