using System.Text;
using Parquet;

namespace Backflow.Benchmarks;

/// <summary>Writes the publish inputs: the same rows as CSV (UTF-8) and as Parquet with one column per catalog column.</summary>
internal static class InputFiles
{
    private const int RowGroup = 50_000;

    /// <summary>The given rows at <paramref name="version"/>.</summary>
    /// <summary>Rows <paramref name="rows"/> as CSV, every one in <see cref="MarketRows.Region"/> unless
    /// <paramref name="region"/> places each.</summary>
    public static async Task WriteCsvAsync(string path, IEnumerable<long> rows, int version, Func<long, string>? region = null)
    {
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        await writer.WriteAsync(MarketRows.CsvHeader + "\n");
        var line = new StringBuilder(256);
        foreach (var i in rows)
        {
            line.Clear();
            MarketRows.AppendCsv(line, i, version, region?.Invoke(i) ?? MarketRows.Region);
            line.Append('\n');
            await writer.WriteAsync(line);
        }
    }

    public static async Task WriteParquetAsync(string path, long first, long count, int version)
    {
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(MarketColumns.Schema, file);
        var columns = new MarketColumns(RowGroup);
        for (long done = 0; done < count; done += RowGroup)
        {
            var n = (int)Math.Min(RowGroup, count - done);
            columns.Generate(first + done, n, version);
            await columns.WriteAsync(writer);
        }
    }
}
