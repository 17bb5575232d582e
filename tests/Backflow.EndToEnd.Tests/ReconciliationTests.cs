using System.Text;
using Backflow.EndToEnd.Tests.Kit;
using Backflow.Protocol.Catalog;
using Microsoft.Data.Sqlite;

namespace Backflow.EndToEnd.Tests;

/// <summary>Reconciliation and schema evolution with the real executables.</summary>
public sealed class ReconciliationTests
{
    [Fact]
    public async Task A_row_edited_in_the_agents_sqlite_file_is_detected_by_verify_and_fixed_by_repair()
    {
        await using var server = new ServerProcess();
        var (dataset, expected, session) = SnapshotTests.Setup(server);
        await server.StartAsync();
        var agent = await AgentSyncTests.EnrollAsync(server, "county", "330106");
        var witness = await AgentSyncTests.EnrollAsync(server, "witness", "330106");
        var random = new Random(17);
        await session.PublishAsync([.. Enumerable.Range(1, 60).Select(i => AllTypesDataset.Row(i, "330106", random))]);
        Assert.Equal(0, (await agent.SyncAsync()).ExitCode);
        await server.CliJsonAsync("snapshot", "--dataset", AllTypesDataset.Id);
        Assert.Equal(0, (await agent.SyncAsync()).ExitCode);
        Assert.Equal(0, (await agent.CliAsync("verify")).ExitCode);

        Execute(agent.Database, $"UPDATE {AllTypesDataset.Table} SET name = 'edited by hand' WHERE id = 10");
        var verify = await agent.CliAsync("verify");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("diverged", verify.Output, StringComparison.Ordinal);
        Assert.Contains("backflow-agent repair --dataset " + AllTypesDataset.Id, verify.Output, StringComparison.Ordinal);
        var status = await agent.StatusAsync();
        Assert.Contains(status.GetProperty("feeds").EnumerateArray(), f => f.GetProperty("blocked").GetBoolean() && f.GetProperty("verification").GetString() == "diverged");

        var repair = await agent.CliAsync("repair", "--dataset", AllTypesDataset.Id);
        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Equal(0, (await agent.CliAsync("verify")).ExitCode);
        status = await agent.StatusAsync();
        Assert.All(status.GetProperty("feeds").EnumerateArray(), f => Assert.False(f.GetProperty("blocked").GetBoolean()));
        Assert.Equal(0, (await witness.SyncAsync()).ExitCode);
        SnapshotTests.AssertEqualCopies(dataset, expected, agent, witness);
    }

    [Fact]
    public async Task An_additive_schema_change_adds_the_columns_in_place_old_rows_null_new_rows_filled()
    {
        await using var server = new ServerProcess();
        var (dataset, expected, session) = SnapshotTests.Setup(server);
        await server.StartAsync();
        var agent = await AgentSyncTests.EnrollAsync(server, "county", "330106");
        var random = new Random(19);
        await session.PublishAsync([.. Enumerable.Range(1, 40).Select(i => AllTypesDataset.Row(i, "330106", random))]);
        Assert.Equal(0, (await agent.SyncAsync()).ExitCode);

        // The catalog gains a nullable column at the end; the CLI reads the catalog per command, so the next publish uses it.
        var wider = AllTypesDataset.CatalogJson.Replace(
            "{ \"name\": \"photo\", \"type\": \"binary\", \"nullable\": true }",
            "{ \"name\": \"photo\", \"type\": \"binary\", \"nullable\": true },\n    { \"name\": \"remark\", \"type\": \"string\", \"nullable\": true }",
            StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(server.CatalogDirectory, AllTypesDataset.Id + ".json"), wider, Encoding.UTF8);
        var csv = "id,county_code,name,small,amount,ratio,flag,born,seen_at,photo,remark\n41,330106,n41,,,,,,,,新备注\n42,330106,n42,,,,,,,,\n";
        var file = Path.Combine(server.Root, "wider.csv");
        await File.WriteAllTextAsync(file, csv, new UTF8Encoding(false));
        await server.CliJsonAsync("publish", "--dataset", AllTypesDataset.Id, "--file", file);
        await server.StopAsync();
        await server.StartAsync();

        var sync = await agent.SyncAsync();
        Assert.True(sync.ExitCode == 0, sync.ToString());
        var widerDataset = CatalogReader.Parse(wider, "wider");
        var rows = new AgentDatabase(agent.Database).Rows(widerDataset, AllTypesDataset.Table);
        Assert.Equal(42, rows.Count);
        Assert.All(rows.Where(r => (long)r[0]! <= 40), r => Assert.Null(r[^1]));
        Assert.Equal("新备注", rows.Single(r => (long)r[0]! == 41)[^1]);
        Assert.Equal(0, (await agent.CliAsync("verify")).ExitCode);

        // A late agent gets the same from a snapshot built under the wider schema from rows stored under the narrower one.
        await server.CliJsonAsync("snapshot", "--dataset", AllTypesDataset.Id);
        var late = await AgentSyncTests.EnrollAsync(server, "late", "330106");
        Assert.Equal(0, (await late.SyncAsync()).ExitCode);
        Assert.Equal(new AgentDatabase(agent.Database).State(AllTypesDataset.Id)["330106"].Checksum, new AgentDatabase(late.Database).State(AllTypesDataset.Id)["330106"].Checksum);
        _ = dataset;
        _ = expected;
    }

    private static void Execute(string database, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, command.ExecuteNonQuery());
    }
}
