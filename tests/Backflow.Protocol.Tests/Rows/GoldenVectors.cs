using System.Globalization;
using System.Text.Json;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Rows;

namespace Backflow.Protocol.Tests.Rows;

/// <summary>Loads Golden/canonical-vectors.json and its catalog, turning the JSON values into row values.</summary>
internal static class GoldenVectors
{
    private static readonly Lazy<(DatasetDefinition Dataset, IReadOnlyList<GoldenRow> Rows, string SchemaHash, RegionChecksum Checksum)> Loaded = new(Load);

    public static DatasetDefinition Dataset => Loaded.Value.Dataset;

    public static IReadOnlyList<GoldenRow> Rows => Loaded.Value.Rows;

    public static string SchemaHash => Loaded.Value.SchemaHash;

    public static RegionChecksum Checksum => Loaded.Value.Checksum;

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Golden", file);

    public static GoldenRow Row(string name) => Rows.Single(r => r.Name == name);

    private static (DatasetDefinition, IReadOnlyList<GoldenRow>, string, RegionChecksum) Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(PathOf("canonical-vectors.json")));
        var root = document.RootElement;
        var dataset = CatalogReader.ReadFile(PathOf(root.GetProperty("catalog").GetString()!));
        var rows = root.GetProperty("rows").EnumerateArray().Select(row => new GoldenRow(
            row.GetProperty("name").GetString()!,
            row.GetProperty("values").EnumerateArray().Select((v, i) => ValueOf(dataset.Columns[i], v)).ToArray(),
            row.GetProperty("encoding").GetString()!,
            row.GetProperty("digest").GetString()!,
            row.GetProperty("term").GetString()!,
            row.GetProperty("key").GetString()!)).ToArray();
        var checksum = root.GetProperty("checksum");
        var sum = checksum.GetProperty("sum").GetString()!;
        return (dataset, rows, root.GetProperty("schemaHash").GetString()!,
            sum.Length == 0 ? default : RegionChecksum.Parse(checksum.GetProperty("rowCount").GetInt64(), sum));
    }

    private static object? ValueOf(ColumnDefinition column, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        return column.Type.Kind switch
        {
            LogicalKind.String => value.GetString()!,
            LogicalKind.Int32 => value.GetInt32(),
            LogicalKind.Int64 => long.Parse(value.GetString()!, inv),
            LogicalKind.Decimal => decimal.Parse(value.GetString()!, NumberStyles.Number, inv),
            LogicalKind.Double => DoubleOf(value.GetString()!),
            LogicalKind.Boolean => value.GetBoolean(),
            LogicalKind.Date => DateOnly.ParseExact(value.GetString()!, "yyyy-MM-dd", inv),
            LogicalKind.Timestamp => DateTime.ParseExact(value.GetString()!, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", inv, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            LogicalKind.Binary => Convert.FromHexString(value.GetString()!),
            _ => throw new InvalidOperationException($"unknown kind {column.Type.Kind}"),
        };
    }

    private static double DoubleOf(string text) => text.StartsWith("bits:", StringComparison.Ordinal)
        ? BitConverter.Int64BitsToDouble(long.Parse(text.AsSpan(5), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture))
        : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
