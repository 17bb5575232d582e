using System.Text;
using System.Text.Json;
using Backflow.Server.Tests.Functional.Kit;

namespace Backflow.Server.Tests.Functional;

public sealed class CompactCliTests
{
    [Fact]
    public async Task Compact_gives_the_pages_of_deleted_rows_back_to_the_disk_and_keeps_every_live_row()
    {
        await using var server = await BackflowServer.StartAsync();
        var rows = Enumerable.Range(0, 3000).Select(i => new TestRow($"K{i:D5}", "名称" + new string('长', 200) + i, "330106")).ToArray();
        await server.PublishAsync(rows);
        var deletes = new StringBuilder("id\n");
        foreach (var row in rows.Skip(10))
        {
            deletes.Append(row.Id).Append('\n');
        }

        await server.PublishAsync(TestRow.CsvOf(), deletes: deletes.ToString());

        var (exit, output, error) = await CliRunner.RunAsync(server.Paths, "compact", "--json");

        Assert.True(exit == 0, error);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.True(result.GetProperty("vacuumed").GetBoolean());
        Assert.True(result.GetProperty("freeBytesBefore").GetInt64() > 500_000, output);
        Assert.True(result.GetProperty("bytesAfter").GetInt64() < result.GetProperty("bytesBefore").GetInt64(), output);

        // The ten live rows are all still there: a snapshot reads them back and checks them against the feed's checksum.
        var snapshot = await server.Get<Backflow.Server.Snapshots.SnapshotBuilder>().BuildRegionAsync(server.Dataset(), "330106", newGeneration: false, "test", CancellationToken.None);
        Assert.Equal(10, snapshot.Rows);

        var again = await CliRunner.RunAsync(server.Paths, "compact");
        Assert.Contains("no free pages; nothing to do", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compact_on_a_mistyped_data_folder_creates_nothing()
    {
        var root = Path.Combine(Path.GetTempPath(), "backflow-server-tests", Guid.NewGuid().ToString("N"));
        var paths = BackflowServer.NewPaths(root);
        var missing = Path.Combine(root, "typo");

        var (exit, _, error) = await CliRunner.RunAsync(new Backflow.Server.Hosting.ServerPaths(missing, paths.CatalogDirectory), "compact");

        Assert.NotEqual(0, exit);
        Assert.Contains("no server data", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(missing, "metadata.db")));
        Directory.Delete(root, recursive: true);
    }
}
