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
/// buffered across them, instead of holding every row until the end. The early groups must lose and repeat nothing.
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

            Assert.Equal(rows.Select(r => r.Id).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
            Assert.Equal(TestRow.ChecksumOf(dataset, rows).SumHex, FeedStore.Find(connection, null, dataset.Id, region)!.Checksum.SumHex);
        }
    }
}
