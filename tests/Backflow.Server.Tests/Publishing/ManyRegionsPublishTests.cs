using System.Globalization;
using System.Text;
using Backflow.Protocol.Extracts;
using Backflow.Server.Feeds;
using Backflow.Server.Metadata;
using Backflow.Server.Publishing;
using Backflow.Server.Storage;
using Backflow.Server.Tests.Functional.Kit;

namespace Backflow.Server.Tests.Publishing;

/// <summary>
/// A publish over many counties writes row groups early once <see cref="ChangeRouter.BufferedRowBudget"/> rows are
/// buffered across them, instead of holding every row until the end, and parks the rows of counties too small for a
/// row group on disk (<see cref="RowSpill"/>). Neither may lose, repeat or reorder anything.
/// </summary>
public sealed class ManyRegionsPublishTests
{
    private const int Regions = 12;

    // Below the 10,000 rows at which a region writes a group by itself, above the budget in total.
    private const int RowsPerRegion = 9_000;

    [Fact]
    public async Task Rows_over_many_regions_are_written_in_early_row_groups_and_every_row_arrives_once()
    {
        Assert.True(Regions * RowsPerRegion >= ChangeRouter.BufferedRowBudget);
        await using var server = await BackflowServer.StartAsync();
        var dataset = server.Dataset();
        var csv = new StringBuilder(TestCatalog.Header).Append('\n');
        var expected = new Dictionary<string, List<TestRow>>();
        for (var i = 0; i < Regions * RowsPerRegion; i++)
        {
            var region = "3301" + (i % Regions + 1).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
            var row = new TestRow("K" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), "名称" + i, region);
            csv.Append(row.Csv).Append('\n');
            (expected.TryGetValue(region, out var rows) ? rows : expected[region] = []).Add(row);
        }

        await server.PublishAsync(csv.ToString());

        using var connection = server.Get<MetadataDatabase>().Open();
        foreach (var (region, rows) in expected)
        {
            var manifest = FeedStore.FindManifest(connection, dataset.Id, region, 1)!;
            await using var stream = await server.Get<IExtractStore>().OpenReadAsync(manifest.FileName, CancellationToken.None);
            await using var reader = await ExtractReader.OpenAsync(stream, dataset);
            Assert.True(reader.RowGroupCount > 1, $"{region}: {RowsPerRegion} rows in {reader.RowGroupCount} row group; the budget should have written one early");
            var ids = new List<string>();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                ids.AddRange((await reader.ReadRowGroupAsync(g)).Select(r => (string)r.Values[0]!));
            }

            // In the order they came: the early group, then the rest, which the region collected as columns after it.
            Assert.Equal(rows.Select(r => r.Id), ids);
            Assert.Equal(TestRow.ChecksumOf(dataset, rows).SumHex, FeedStore.Find(connection, null, dataset.Id, region)!.Checksum.SumHex);
        }
    }

    [Fact]
    public async Task Rows_of_hundreds_of_small_regions_wait_on_disk_and_come_back_whole_and_in_order_for_upserts_and_deletes()
    {
        const int smallRegions = 300, rowsPerSmallRegion = 400;
        Assert.True(smallRegions * rowsPerSmallRegion >= ChangeRouter.BufferedRowBudget);
        Assert.True(rowsPerSmallRegion < ChangeRouter.SmallestEarlyRowGroup);
        await using var server = await BackflowServer.StartAsync();
        var dataset = server.Dataset();
        var expected = new Dictionary<string, List<TestRow>>();
        var csv = new StringBuilder(TestCatalog.Header).Append('\n');
        for (var i = 0; i < smallRegions * rowsPerSmallRegion; i++)
        {
            var c = i % smallRegions;
            var region = "33" + (c / 10 + 1).ToString("00", CultureInfo.InvariantCulture) + (c % 10 + 1).ToString("00", CultureInfo.InvariantCulture);
            // Amounts and times differ per row, so a row decoded from the spill into the wrong column or row shows.
            var row = new TestRow("K" + i.ToString(CultureInfo.InvariantCulture), "名称" + i, region, i / 100m, TestRow.DefaultUpdated.AddSeconds(i));
            csv.Append(row.Csv).Append('\n');
            (expected.TryGetValue(region, out var rows) ? rows : expected[region] = []).Add(row);
        }

        await server.PublishAsync(csv.ToString());
        // Then every key deleted: delete rows (key and region only) take the same way through the spill.
        await server.PublishAsync(TestRow.CsvOf(), deletes: "id\n" + string.Concat(expected.Values.SelectMany(r => r).Select(r => r.Id + "\n")));

        using var connection = server.Get<MetadataDatabase>().Open();
        foreach (var (region, rows) in expected)
        {
            var upserts = await ReadExtractAsync(server, connection, region, 1);
            Assert.Equal(rows.Select(r => (ChangeOp.Upsert, (string?)r.Id, (string?)r.Name, (string?)r.Region, r.Amount, r.UpdatedAt)), upserts.Select(Fields));
            var deletes = await ReadExtractAsync(server, connection, region, 2);
            Assert.Equal(rows.Select(r => (ChangeOp.Delete, (string?)r.Id, (string?)null, (string?)r.Region, (decimal?)null, (DateTime?)null)), deletes.Select(Fields));
            Assert.Equal(0, FeedStore.Find(connection, null, dataset.Id, region)!.Checksum.RowCount);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(server.Paths.StagingDirectory));
    }

    [Fact]
    public async Task A_large_region_among_hundreds_of_small_ones_keeps_every_row_in_order_through_columns_and_the_spill()
    {
        // The large region fills a whole row group first, so it collects its rows as columns from then on; its later rows
        // come sparsely among the small regions', so the budget finds it holding a small group and spills it.
        const int smallRegions = 300, rowsPerSmallRegion = 400, largeFirst = 10_500, largeSparse = 400;
        const string large = "330106";
        await using var server = await BackflowServer.StartAsync();
        var expected = new Dictionary<string, List<TestRow>>();
        var csv = new StringBuilder(TestCatalog.Header).Append('\n');
        var n = 0;
        void Add(string region)
        {
            // Amounts and times differ per row, so a row taken from the wrong column or row shows.
            var row = new TestRow("K" + n.ToString(CultureInfo.InvariantCulture), "名称" + n, region, n / 100m, TestRow.DefaultUpdated.AddSeconds(n));
            n++;
            csv.Append(row.Csv).Append('\n');
            (expected.TryGetValue(region, out var rows) ? rows : expected[region] = []).Add(row);
        }

        for (var i = 0; i < largeFirst; i++)
        {
            Add(large);
        }

        var every = smallRegions * rowsPerSmallRegion / largeSparse;
        for (var i = 0; i < smallRegions * rowsPerSmallRegion; i++)
        {
            var c = i % smallRegions;
            Add("34" + (c / 10 + 1).ToString("00", CultureInfo.InvariantCulture) + (c % 10 + 1).ToString("00", CultureInfo.InvariantCulture));
            if (i % every == 0)
            {
                Add(large);
            }
        }

        await server.PublishAsync(csv.ToString());

        using var connection = server.Get<MetadataDatabase>().Open();
        foreach (var (region, rows) in expected)
        {
            var upserts = await ReadExtractAsync(server, connection, region, 1);
            Assert.Equal(rows.Select(r => (ChangeOp.Upsert, (string?)r.Id, (string?)r.Name, (string?)r.Region, r.Amount, r.UpdatedAt)), upserts.Select(Fields));
        }

        Assert.Equal(largeFirst + largeSparse, expected[large].Count);
        Assert.Empty(Directory.EnumerateFileSystemEntries(server.Paths.StagingDirectory));
    }

    private static (ChangeOp, string?, string?, string?, decimal?, DateTime?) Fields(ExtractRow row) =>
        (row.Op, (string?)row.Values[0], (string?)row.Values[1], (string?)row.Values[2], (decimal?)row.Values[3], (DateTime?)row.Values[4]);

    private static async Task<List<ExtractRow>> ReadExtractAsync(BackflowServer server, Microsoft.Data.Sqlite.SqliteConnection connection, string region, long sequence)
    {
        var manifest = FeedStore.FindManifest(connection, server.Dataset().Id, region, sequence)!;
        await using var stream = await server.Get<IExtractStore>().OpenReadAsync(manifest.FileName, CancellationToken.None);
        await using var reader = await ExtractReader.OpenAsync(stream, server.Dataset());
        var rows = new List<ExtractRow>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            rows.AddRange(await reader.ReadRowGroupAsync(g));
        }

        return rows;
    }
}
