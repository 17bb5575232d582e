using System.Text;
using Backflow.EndToEnd.Tests.Kit;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Regions;
using Microsoft.Data.Sqlite;

namespace Backflow.EndToEnd.Tests;

/// <summary>A breaking catalog change end to end with the real executables: refused, re-based, rebuilt, equal.</summary>
public sealed class SchemaChangeTests
{
    private static readonly string[] Counties = ["330106", "330102", "330108"];

    [Fact]
    public async Task A_type_change_and_a_removed_column_are_re_based_and_the_agent_rebuilds_its_table_equal_to_the_server()
    {
        await using var server = new ServerProcess();
        var (_, _, session) = SnapshotTests.Setup(server);
        await server.StartAsync();
        var agent = await AgentSyncTests.EnrollAsync(server, "prefecture", "330100");
        var random = new Random(23);
        var rows = Enumerable.Range(1, 150).Select(i => AllTypesDataset.Row(i, Counties[i % 3], random)).ToList();
        await session.PublishAsync(rows);
        Assert.Equal(0, (await agent.SyncAsync()).ExitCode);

        // The catalog widens `small` from int32 to int64 and drops `photo`: the server refuses to publish deltas under it.
        var changedJson = AllTypesDataset.CatalogJson
            .Replace("{ \"name\": \"small\", \"type\": \"int32\", \"nullable\": true }", "{ \"name\": \"small\", \"type\": \"int64\", \"nullable\": true }", StringComparison.Ordinal)
            .Replace(",\n    { \"name\": \"photo\", \"type\": \"binary\", \"nullable\": true }", string.Empty, StringComparison.Ordinal);
        var changed = CatalogReader.Parse(changedJson, "changed");
        Assert.Equal(9, changed.Columns.Count);
        await server.StopAsync();
        await File.WriteAllTextAsync(Path.Combine(server.CatalogDirectory, AllTypesDataset.Id + ".json"), changedJson, Encoding.UTF8);
        var columns = changed.Columns.Select(c => c.Name).ToArray();
        var more = Path.Combine(server.Root, "more.csv");
        await File.WriteAllTextAsync(more, AllTypesDataset.Csv([AllTypesDataset.Row(151, "330106", random)[..9]], columns), new UTF8Encoding(false));
        var refused = await server.CliAsync("publish", "--dataset", AllTypesDataset.Id, "--file", more);
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("column 'small' changes type from int32 to int64", refused.Error, StringComparison.Ordinal);
        Assert.Contains($"backflow-server rebase --dataset {AllTypesDataset.Id} --file", refused.Error, StringComparison.Ordinal);

        // The publisher supplies every live row under the new schema (one county's rows fewer, one row new).
        var expected = new ExpectedRows(changed);
        var full = rows.Where(r => r[1] != "330108" || long.Parse(r[0]!, System.Globalization.CultureInfo.InvariantCulture) % 2 == 0).Select(r => r[..9]).ToList();
        full.Add(AllTypesDataset.Row(500, "330102", random)[..9]);
        full.ForEach(expected.Upsert);
        var fullFile = Path.Combine(server.Root, "full.csv");
        await File.WriteAllTextAsync(fullFile, AllTypesDataset.Csv(full, columns), new UTF8Encoding(false));
        var rebase = await server.CliJsonAsync("rebase", "--dataset", AllTypesDataset.Id, "--file", fullFile);
        Assert.Equal("breaking-schema", rebase.GetProperty("reason").GetString());
        Assert.Equal(3, rebase.GetProperty("snapshots").GetArrayLength());
        await server.StartAsync();

        var sync = await agent.SyncAsync();
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Contains("rebuilt", sync.Output, StringComparison.Ordinal);
        var database = new AgentDatabase(agent.Database);
        Assert.False(database.HasTable("photo"));
        Assert.Equal(0L, Scalar(agent.Database, $"SELECT count(*) FROM sqlite_master WHERE name LIKE '{AllTypesDataset.Table}\\_\\_replaced%' ESCAPE '\\'"));
        Assert.Equal(0L, Scalar(agent.Database, $"SELECT count(*) FROM pragma_table_info('{AllTypesDataset.Table}') WHERE name = 'photo'"));
        AssertEqualToServer(server, agent, changed, expected);

        // Deltas go on in the new generation; a new agent bootstraps from the re-base snapshots to the same copy.
        string?[][] delta = [AllTypesDataset.Row(151, "330106", random)[..9], AllTypesDataset.Row(3, "330108", random)[..9]];
        await File.WriteAllTextAsync(more, AllTypesDataset.Csv(delta, columns), new UTF8Encoding(false));
        var publish = await server.CliAsync("publish", "--dataset", AllTypesDataset.Id, "--file", more);
        Assert.True(publish.ExitCode == 0, publish.ToString());
        Array.ForEach(delta, expected.Upsert);
        Assert.Equal(0, (await agent.SyncAsync()).ExitCode);
        var fresh = await AgentSyncTests.EnrollAsync(server, "fresh", "330100");
        Assert.Equal(0, (await fresh.SyncAsync()).ExitCode);
        AssertEqualToServer(server, agent, changed, expected);
        AssertEqualToServer(server, fresh, changed, expected);

        var status = await server.CliJsonAsync("status");
        var history = Assert.Single(status.GetProperty("rebases").EnumerateArray());
        Assert.Equal(("breaking-schema", 1L, 2L), (history.GetProperty("reason").GetString(), history.GetProperty("oldSchemaVersion").GetInt64(), history.GetProperty("newSchemaVersion").GetInt64()));
        Assert.True(TimeProvider.System.GetUtcNow() - history.GetProperty("at").GetDateTimeOffset() < TimeSpan.FromHours(1));
        Assert.Contains(status.GetProperty("feeds").EnumerateArray(), f => f.GetProperty("agentName").GetString() == "prefecture" && f.GetProperty("lastOutcome").GetString() is "current" or "rebuilt");
    }

    [Fact]
    public async Task A_removed_column_is_re_encoded_by_the_server_and_an_agent_enrolled_before_the_rebase_loads_the_published_schema_then_rebuilds()
    {
        await using var server = new ServerProcess();
        var (_, _, session) = SnapshotTests.Setup(server);
        await server.StartAsync();
        var agent = await AgentSyncTests.EnrollAsync(server, "prefecture", "330100");
        var random = new Random(29);
        var rows = Enumerable.Range(1, 90).Select(i => AllTypesDataset.Row(i, Counties[i % 3], random)).ToList();
        await session.PublishAsync(rows);
        Assert.Equal(0, (await agent.SyncAsync()).ExitCode);

        // The catalog drops `photo`; the running server picks it up at its restart.
        var changedJson = AllTypesDataset.CatalogJson.Replace(",\n    { \"name\": \"photo\", \"type\": \"binary\", \"nullable\": true }", string.Empty, StringComparison.Ordinal);
        var changed = CatalogReader.Parse(changedJson, "changed");
        Assert.Equal(9, changed.Columns.Count);
        await server.StopAsync();
        await File.WriteAllTextAsync(Path.Combine(server.CatalogDirectory, AllTypesDataset.Id + ".json"), changedJson, Encoding.UTF8);
        await server.StartAsync();

        // Before the re-base every feed still carries the published schema, so a county enrolled now must get that table.
        var newcomer = await AgentSyncTests.EnrollAsync(server, "newcomer", "330106");
        var early = await newcomer.SyncAsync();
        Assert.True(early.ExitCode == 0, early.ToString());
        Assert.Equal(1L, Scalar(newcomer.Database, $"SELECT count(*) FROM pragma_table_info('{AllTypesDataset.Table}') WHERE name = 'photo'"));
        Assert.Equal(30L, Scalar(newcomer.Database, $"SELECT count(*) FROM {AllTypesDataset.Table}"));

        // Only a column was removed: the server converts the rows it holds, no file needed.
        var rebase = await server.CliJsonAsync("rebase", "--dataset", AllTypesDataset.Id);
        Assert.Equal("removed-columns", rebase.GetProperty("reason").GetString());

        var expected = new ExpectedRows(changed);
        rows.Select(r => r[..9]).ToList().ForEach(expected.Upsert);
        foreach (var county in new[] { agent, newcomer })
        {
            var sync = await county.SyncAsync();
            Assert.True(sync.ExitCode == 0, sync.ToString());
            Assert.Contains("rebuilt", sync.Output, StringComparison.Ordinal);
            Assert.Equal(0L, Scalar(county.Database, $"SELECT count(*) FROM pragma_table_info('{AllTypesDataset.Table}') WHERE name = 'photo'"));
        }

        AssertEqualToServer(server, agent, changed, expected);
        Assert.Equal(30L, Scalar(newcomer.Database, $"SELECT count(*) FROM {AllTypesDataset.Table}"));
    }

    private static void AssertEqualToServer(ServerProcess server, AgentProcess agent, DatasetDefinition dataset, ExpectedRows expected)
    {
        var database = new AgentDatabase(agent.Database);
        var actual = database.Rows(dataset, AllTypesDataset.Table).OrderBy(r => (long)r[0]!).ToArray();
        var wanted = expected.For(RegionScope.Parse("330100")).ToArray();
        Assert.Equal(wanted.Length, actual.Length);
        for (var i = 0; i < wanted.Length; i++)
        {
            Assert.Equal(wanted[i], actual[i]);
        }

        var feeds = ServerFeeds(server);
        foreach (var (region, state) in database.State(AllTypesDataset.Id))
        {
            Assert.Equal(feeds[region], (state.RowCount, state.Checksum));
            var recomputed = database.Recompute(dataset, AllTypesDataset.Table, region);
            Assert.Equal((state.RowCount, state.Checksum), (recomputed.RowCount, recomputed.SumHex));
        }
    }

    private static Dictionary<string, (long RowCount, string Checksum)> ServerFeeds(ServerProcess server)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(server.DataDirectory, "metadata.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT region, row_count, checksum FROM feeds WHERE dataset = $dataset";
        command.Parameters.AddWithValue("$dataset", AllTypesDataset.Id);
        using var reader = command.ExecuteReader();
        var feeds = new Dictionary<string, (long, string)>();
        while (reader.Read())
        {
            feeds[reader.GetString(0)] = (reader.GetInt64(1), reader.GetString(2));
        }

        return feeds;
    }

    private static long Scalar(string database, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
