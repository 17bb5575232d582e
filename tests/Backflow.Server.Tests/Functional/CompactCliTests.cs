using System.Globalization;
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
        Assert.True(result.GetProperty("freeBytesBefore").GetInt64() > 100_000, output);
        Assert.True(result.GetProperty("bytesAfter").GetInt64() < result.GetProperty("bytesBefore").GetInt64(), output);
        // The deleted rows' bytes in the row file: 2,990 of 3,000 rows of about 650 bytes each are given back.
        var rowFile = Assert.Single(result.GetProperty("rowFiles").EnumerateArray());
        Assert.True(rowFile.GetProperty("rewritten").GetBoolean(), output);
        Assert.True(rowFile.GetProperty("bytesBefore").GetInt64() > 1_900_000, output);
        Assert.True(rowFile.GetProperty("liveBytes").GetInt64() < 10_000, output);
        Assert.Equal(rowFile.GetProperty("liveBytes").GetInt64(), new FileInfo(rowFile.GetProperty("file").GetString()!).Length);
        Assert.Equal([Path.GetFileName(rowFile.GetProperty("file").GetString()!)], Directory.GetFiles(Path.Combine(server.Paths.DataDirectory, "rows")).Select(Path.GetFileName));

        // The ten live rows are all still there: a snapshot reads them back and checks them against the feed's checksum.
        var snapshot = await server.Get<Backflow.Server.Snapshots.SnapshotBuilder>().BuildRegionAsync(server.Dataset(), "330106", newGeneration: false, "test", CancellationToken.None);
        Assert.Equal(10, snapshot.Rows);

        var again = await CliRunner.RunAsync(server.Paths, "compact");
        Assert.Contains("no free pages; nothing to do", again.Output, StringComparison.Ordinal);
        Assert.Contains("every row in use; nothing to do", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compact_rebuilds_a_database_of_4_KiB_pages_with_16_KiB_ones_and_keeps_every_row()
    {
        using var folder = new TempServerFolder();
        var paths = folder.NewPaths();
        var database = Path.Combine(paths.DataDirectory, "metadata.db");
        Directory.CreateDirectory(paths.DataDirectory);
        // What an older build left: SQLite's default page size, fixed once the file is in WAL mode.
        Sql(database, "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL;");
        var csv = folder.PathOf("rows.csv");
        await File.WriteAllTextAsync(csv, TestRow.CsvOf([.. Enumerable.Range(0, 500).Select(i => new TestRow($"K{i:D5}", "名称" + i, "330106"))]));
        var publish = await CliRunner.RunAsync(paths, "publish", "--dataset", TestCatalog.Entities, "--file", csv);
        Assert.True(publish.Exit == 0, publish.Error);
        Assert.Equal("4096", Sql(database, "PRAGMA page_size;"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // the in-process CLI's pooled connections, as if its process had ended

        var (exit, output, error) = await CliRunner.RunAsync(paths, "compact");

        Assert.True(exit == 0, error);
        Assert.Contains("rebuilt with 16 KiB pages (was 4 KiB)", output, StringComparison.Ordinal);
        Assert.Equal("16384", Sql(database, "PRAGMA page_size;"));
        Assert.Equal("wal", Sql(database, "PRAGMA journal_mode;"));
        Assert.Equal("500", Sql(database, "SELECT COUNT(*) FROM key_index JOIN region_rows USING (dataset, region, data_id);"));
        Assert.Equal(new FileInfo(Path.Combine(paths.DataDirectory, "rows", TestCatalog.Entities + ".1.rows")).Length.ToString(CultureInfo.InvariantCulture),
            Sql(database, "SELECT committed_bytes FROM row_files;"));
        Assert.Equal("ok", Sql(database, "PRAGMA integrity_check;"));

        // And it goes on publishing on top.
        await File.WriteAllTextAsync(csv, TestRow.CsvOf(new TestRow("K99999", "新", "330106")));
        var more = await CliRunner.RunAsync(paths, "publish", "--dataset", TestCatalog.Entities, "--file", csv);
        Assert.True(more.Exit == 0, more.Error);
        Assert.Equal("501", Sql(database, "SELECT COUNT(*) FROM key_index;"));
    }

    [Fact]
    public async Task Compact_on_a_mistyped_data_folder_creates_nothing()
    {
        using var folder = new TempServerFolder();
        var paths = folder.NewPaths();
        var missing = folder.PathOf("typo");

        var (exit, _, error) = await CliRunner.RunAsync(new Backflow.Server.Hosting.ServerPaths(missing, paths.CatalogDirectory), "compact");

        Assert.NotEqual(0, exit);
        Assert.Contains("no server data", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(missing, "metadata.db")));
    }

    private static string Sql(string database, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
    }
}
