using System.Globalization;
using System.IO.Compression;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;

namespace Backflow.Benchmarks;

/// <summary>
/// Item 6: bytes on the wire. A 1 % change (every 100th row gets a new status and update time) published as a
/// delta, against the full snapshot of the same region. Snapshots are not built by the server yet, so the
/// "snapshot" is a snapshot-equivalent extract written here with <see cref="ExtractWriter"/> from every live
/// row, in the server's row-group size. And the full extract against the same rows as CSV, gzipped.
/// </summary>
internal static class WireBenchmark
{
    /// <summary>The publish path buffers this many rows per row group (RegionBatch); the snapshot uses the same.</summary>
    private const int ServerRowGroup = 10_000;

    public static async Task RunAsync(Workspace workspace, ServerData server, string csvOfAllRows, long rows, ResultTable table)
    {
        var dataset = CatalogReader.ReadFile(Path.Combine(BuiltPaths.Catalog, MarketRows.Dataset + ".json"));
        var changes = workspace.File("one-percent.csv");
        await InputFiles.WriteCsvAsync(changes, PublishBenchmark.LongRange(0, rows).Where(i => i % 100 == 0), version: 2);
        await server.PublishAsync(changes);
        var delta = new FileInfo(server.Extract(2).ExtractPath).Length;

        var snapshotPath = workspace.File("snapshot-equivalent.parquet");
        await WriteSnapshotAsync(snapshotPath, dataset, rows);
        var snapshot = new FileInfo(snapshotPath).Length;
        var full = new FileInfo(server.Extract(1).ExtractPath).Length;

        var gz = workspace.File("rows.csv.gz");
        await using (var input = File.OpenRead(csvOfAllRows))
        await using (var output = File.Create(gz))
        await using (var zip = new GZipStream(output, CompressionLevel.Optimal))
        {
            await input.CopyToAsync(zip);
        }

        var csvBytes = new FileInfo(csvOfAllRows).Length;
        var gzBytes = new FileInfo(gz).Length;
        var n = PublishBenchmark.Format(rows);
        table.Add("6 wire", $"1 % delta ({PublishBenchmark.Format(rows / 100)} rows) vs snapshot-equivalent of {n} rows",
            Bytes(delta), "snapshot " + Bytes(snapshot), Percent(delta, snapshot), "≤ 2 %");
        table.Add("6 wire", $"full extract of {n} rows (Parquet) vs the same CSV gzipped",
            Bytes(full), $"CSV {Bytes(csvBytes)}, gzip -6 {Bytes(gzBytes)}", Percent(full, gzBytes) + " of gzip", "-");
    }

    private static async Task WriteSnapshotAsync(string path, DatasetDefinition dataset, long rows)
    {
        await using var file = File.Create(path);
        var header = new ExtractHeader(dataset.Id, MarketRows.Region, 2, dataset.SchemaHash, ExtractHeader.Snapshot);
        await using var writer = await ExtractWriter.CreateAsync(file, dataset, header);
        var batch = new List<ExtractRow>(ServerRowGroup);
        for (long i = 0; i < rows; i++)
        {
            batch.Add(new ExtractRow(ChangeOp.Upsert, MarketRows.Values(i, i % 100 == 0 ? 2 : 1)));
            if (batch.Count == ServerRowGroup)
            {
                await writer.WriteRowGroupAsync(batch);
                batch.Clear();
            }
        }

        await writer.WriteRowGroupAsync(batch);
    }

    private static string Bytes(long bytes) => bytes >= 1 << 20
        ? (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB"
        : (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB";

    private static string Percent(long part, long whole) => (100.0 * part / whole).ToString("0.00", CultureInfo.InvariantCulture) + " %";
}
