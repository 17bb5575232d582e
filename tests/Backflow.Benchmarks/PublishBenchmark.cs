using System.Diagnostics;
using nietras.SeparatedValues;
using Parquet;

namespace Backflow.Benchmarks;

/// <summary>
/// Item 2: <c>backflow-server publish</c> of N rows from CSV and from Parquet into a fresh data folder (wall time
/// of the real executable, so including its ~0.3 s start-up), against the best raw pipeline from the same input
/// to a Parquet file: Sep CSV parsing or Parquet.Net reading, typed column arrays, Parquet.Net writing.
/// </summary>
internal static class PublishBenchmark
{
    private const int RowGroup = 50_000;

    public static async Task<(ServerData Csv, ServerData Parquet)> RunAsync(Workspace workspace, long rows, ResultTable table)
    {
        var csv = workspace.File($"rows-{rows}.csv");
        var parquet = workspace.File($"rows-{rows}.parquet");
        await InputFiles.WriteCsvAsync(csv, LongRange(0, rows), version: 1);
        await InputFiles.WriteParquetAsync(parquet, 0, rows, version: 1);

        var rawCsv = await RawFromCsvAsync(csv, workspace.File("raw-from-csv.parquet"));
        var rawParquet = await RawFromParquetAsync(parquet, workspace.File("raw-from-parquet.parquet"));

        var fromCsv = new ServerData(workspace.Root, "server-csv");
        var csvRun = await fromCsv.PublishAsync(csv);
        var fromParquet = new ServerData(workspace.Root, "server-parquet");
        var parquetRun = await fromParquet.PublishAsync(parquet);

        var n = Format(rows);
        table.Add("2 publish", $"{n} rows from CSV", ResultTable.Rate(rows, csvRun.Elapsed), "raw Sep→Parquet.Net " + ResultTable.Rate(rows, rawCsv),
            ResultTable.Ratio(rawCsv / csvRun.Elapsed), "≥ 0.5×");
        table.Add("2 publish", $"{n} rows from Parquet", ResultTable.Rate(rows, parquetRun.Elapsed), "raw Parquet.Net read→write " + ResultTable.Rate(rows, rawParquet),
            ResultTable.Ratio(rawParquet / parquetRun.Elapsed), "≥ 0.5×");
        table.Add("3 memory", $"server publish peak, {n} rows (CSV)", ResultTable.Megabytes(csvRun.PeakBytes), "-", "-", "≤ 500 MB");
        table.Add("3 memory", $"server publish peak, {n} rows (Parquet)", ResultTable.Megabytes(parquetRun.PeakBytes), "-", "-", "≤ 500 MB");
        await RealWorldOrdersAsync(workspace, rows, csv, fromCsv, table);
        return (fromCsv, fromParquet);
    }

    /// <summary>
    /// Two publishes a real vertical system makes that the key-ordered input above flatters: a first export whose keys
    /// come in no particular order (every key-index insert lands on a random page), and the daily full export of the
    /// same rows again, every row unchanged (a key-index lookup per row, nothing written).
    /// </summary>
    private static async Task RealWorldOrdersAsync(Workspace workspace, long rows, string csv, ServerData published, ResultTable table)
    {
        var order = LongRange(0, rows).ToArray();
        new Random(2025).Shuffle(order);
        var shuffled = workspace.File($"rows-{rows}-random-order.csv");
        await InputFiles.WriteCsvAsync(shuffled, order, version: 1);
        var rawShuffled = await RawFromCsvAsync(shuffled, workspace.File("raw-from-random-order.parquet"));
        var shuffledRun = await new ServerData(workspace.Root, "server-random-order").PublishAsync(shuffled);
        var rawCsv = await RawFromCsvAsync(csv, workspace.File("raw-from-csv-again.parquet"));
        var unchangedRun = await published.PublishAsync(csv);

        var n = Format(rows);
        table.Add("2 publish", $"{n} rows from CSV, keys in random order", ResultTable.Rate(rows, shuffledRun.Elapsed),
            "raw Sep→Parquet.Net " + ResultTable.Rate(rows, rawShuffled), ResultTable.Ratio(rawShuffled / shuffledRun.Elapsed), "≥ 0.5×");
        table.Add("2 publish", $"the same {n} rows from CSV again, all unchanged", ResultTable.Rate(rows, unchangedRun.Elapsed),
            "raw Sep→Parquet.Net " + ResultTable.Rate(rows, rawCsv), ResultTable.Ratio(rawCsv / unchangedRun.Elapsed), "≥ 0.5×");
    }

    public static IEnumerable<long> LongRange(long first, long count)
    {
        for (var i = first; i < first + count; i++)
        {
            yield return i;
        }
    }

    public static string Format(long rows) => rows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<TimeSpan> RawFromCsvAsync(string csv, string output)
    {
        var clock = Stopwatch.StartNew();
        await using (var file = File.Create(output))
        await using (var writer = await ParquetWriter.CreateAsync(MarketColumns.Schema, file))
        {
            var columns = new MarketColumns(RowGroup);
            var fields = new string[MarketRows.ColumnCount];
            using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(csv);
            foreach (var row in reader)
            {
                for (var c = 0; c < fields.Length; c++)
                {
                    fields[c] = row[c].ToString();
                }

                columns.SetFromText(columns.Count, fields);
                if (++columns.Count == RowGroup)
                {
                    await columns.WriteAsync(writer);
                    columns.Count = 0;
                }
            }

            if (columns.Count > 0)
            {
                await columns.WriteAsync(writer);
            }
        }

        return clock.Elapsed;
    }

    private static async Task<TimeSpan> RawFromParquetAsync(string input, string output)
    {
        var clock = Stopwatch.StartNew();
        await using (var inFile = File.OpenRead(input))
        await using (var reader = await ParquetReader.CreateAsync(inFile, new ParquetOptions { UseDateOnlyTypeForDates = true }))
        await using (var outFile = File.Create(output))
        await using (var writer = await ParquetWriter.CreateAsync(MarketColumns.Schema, outFile))
        {
            var columns = new MarketColumns(RowGroup);
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using (var group = reader.OpenRowGroupReader(g))
                {
                    await columns.ReadAsync(group, reader.Schema.DataFields);
                }

                await columns.WriteAsync(writer);
            }
        }

        return clock.Elapsed;
    }
}
