using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Rows;
using Backflow.Server.Catalog;
using Backflow.Server.Feeds;
using Backflow.Server.Hosting;
using Backflow.Server.Metadata;
using Backflow.Server.Publishing;
using Backflow.Server.Snapshots;
using Backflow.Server.Storage;
using Backflow.Server.Tests.Functional.Kit;
using Microsoft.Extensions.DependencyInjection;

namespace Backflow.Server.Tests.Snapshots;

/// <summary>Snapshots stream from the key index: memory stays flat however large the region is.</summary>
[Collection(MeasuredAloneCollection.Name)]
public sealed class SnapshotMemoryTests
{
    /// <summary>
    /// The documented ceiling: the managed heap stays under 160 MB while a 2,000,000-row region is snapshotted.
    /// Holding the region whole would take well over 500 MB (2 M boxed rows of four values); one 10,000-row group
    /// plus Parquet's column buffers takes a few tens of MB.
    /// </summary>
    private const long CeilingBytes = 160L * 1024 * 1024;

    private const int Rows = 2_000_000;

    private const string DatasetJson = """
        { "id": "snapshot-big", "title": "大快照", "provider": "测试", "shareType": "unconditional", "updateCycle": "daily",
          "regionColumn": "region", "primaryKey": ["id"],
          "columns": [ { "name": "id", "type": "int64", "nullable": false }, { "name": "region", "type": "string", "nullable": false },
                       { "name": "name", "type": "string" }, { "name": "amount", "type": "decimal(18,2)" } ] }
        """;

    [Fact]
    public async Task A_snapshot_of_two_million_rows_is_built_with_bounded_memory()
    {
        using var folder = new TempServerFolder();
        var paths = folder.NewPaths();
        File.WriteAllText(Path.Combine(paths.CatalogDirectory, "snapshot-big.json"), DatasetJson);
        await using var services = new ServiceCollection().AddBackflowServer(paths).BuildServiceProvider();
        var dataset = services.GetRequiredService<CatalogService>().Get("snapshot-big");
        var expected = Fill(services.GetRequiredService<MetadataDatabase>(), dataset);
        GC.Collect();

        long peak = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(20);
            }
        });
        var result = await services.GetRequiredService<SnapshotBuilder>().BuildRegionAsync(dataset, "330106", newGeneration: false, "test", CancellationToken.None);
        await stop.CancelAsync();
        await sampler;

        Assert.Equal(Rows, result.Rows);
        Assert.Equal(expected.SumHex, result.Checksum);
        Assert.True(peak < CeilingBytes, $"peak managed heap {peak / (1024 * 1024)} MB exceeds the {CeilingBytes / (1024 * 1024)} MB ceiling");

        // The file really holds the rows (read back one group at a time).
        using var connection = services.GetRequiredService<MetadataDatabase>().Open();
        var manifest = FeedStore.FindManifest(connection, dataset.Id, "330106", result.Sequence)!;
        await using var stream = await services.GetRequiredService<IExtractStore>().OpenReadAsync(manifest.FileName, CancellationToken.None);
        await using var reader = await ExtractReader.OpenAsync(stream, dataset);
        var checksum = RegionChecksum.Empty;
        var encoder = new CanonicalEncoder();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            foreach (var row in await reader.ReadRowGroupAsync(g))
            {
                checksum = checksum.Add(RowDigest.ChecksumTerm(encoder.EncodeRow(dataset, row.Values)));
            }
        }

        Assert.Equal(expected, checksum);
    }

    private static RegionChecksum Fill(MetadataDatabase database, DatasetDefinition dataset)
    {
        using var connection = database.Open();
        using var transaction = MetadataDatabase.BeginWrite(connection);
        var version = SchemaRegistry.Register(connection, transaction, dataset, DateTimeOffset.UnixEpoch);
        using var index = new KeyIndex(connection, transaction, dataset.Id);
        var encoder = new CanonicalEncoder();
        var checksum = RegionChecksum.Empty;
        var values = new object?[4];
        for (long i = 1; i <= Rows; i++)
        {
            values[0] = i;
            values[1] = "330106";
            values[2] = i % 7 == 0 ? null : "市场主体名称-" + i;
            values[3] = i % 5 == 0 ? null : i / 100m;
            var row = encoder.EncodeRow(dataset, values).ToArray();
            var digest = RowDigest.Digest(row);
            index.Put(encoder.EncodeKey(dataset, values).ToArray(), "330106", digest, row, existing: null);
            checksum = checksum.Add(RowDigest.TermOf(digest));
        }

        index.Flush();
        FeedStore.Save(connection, transaction, FeedState.New(dataset.Id, "330106") with { LatestSequence = 1, SchemaVersion = version, Checksum = checksum }, DateTimeOffset.UnixEpoch);
        transaction.Commit();
        return checksum;
    }
}
