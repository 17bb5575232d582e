using Backflow.Agent.Sync;
using Backflow.Agent.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Backflow.Agent.Tests.Sync;

/// <summary>The sync loop over the real SQLite loader: rows land in the dataset's table, tampered files never do.</summary>
public sealed class SqliteSyncTests
{
    [Fact]
    public async Task Sync_loads_the_rows_into_the_datasets_table_in_the_default_database()
    {
        await using var agent = await AgentFixture.StartAsync(sqlite: true);
        await agent.Server.PublishAsync("330106", 1);
        await agent.Server.PublishAsync("330106", 2);

        var report = await agent.SyncAsync();

        Assert.True(report.AllCurrent, string.Join("; ", report.Feeds.Select(f => f.Error)));
        Assert.Equal(6, await CountAsync(agent, "SELECT count(*) FROM test_entities"));
        Assert.Equal(2, await CountAsync(agent, "SELECT sequence FROM backflow_state"));
        Assert.True(await CountAsync(agent, "SELECT count(*) FROM backflow_runs") >= 1);
        var status = Assert.Single(await new StatusReader(agent.AnyTarget).ReadAsync(CancellationToken.None));
        Assert.Equal((2L, 0L, 6L, false), (status.AppliedSequence, status.Lag, status.RowCount, status.Blocked));
    }

    [Fact]
    public async Task A_tampered_extract_leaves_the_database_at_the_last_good_sequence()
    {
        await using var agent = await AgentFixture.StartAsync(sqlite: true);
        await agent.Server.PublishAsync("330106", 1);
        await agent.SyncAsync();
        var second = await agent.Server.PublishAsync("330106", 2);
        var file = second.File.ToArray();
        file[^20] ^= 0x40;
        second.File = file;

        var feed = agent.Only(await agent.SyncAsync());

        Assert.Equal(FeedOutcome.Failed, feed.Outcome);
        Assert.Equal(3, await CountAsync(agent, "SELECT count(*) FROM test_entities"));
        Assert.Equal(1, await CountAsync(agent, "SELECT sequence FROM backflow_state"));
        var status = Assert.Single(await new StatusReader(agent.AnyTarget).ReadAsync(CancellationToken.None));
        Assert.Equal((1L, 2L, 1L), (status.AppliedSequence, status.LatestKnownSequence, status.Lag));
        Assert.StartsWith("HashMismatch:", status.LastError, StringComparison.Ordinal);
    }

    private static async Task<long> CountAsync(AgentFixture agent, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(agent.StateDirectory, "backflow.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
