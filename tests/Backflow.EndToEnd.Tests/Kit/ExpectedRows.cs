using System.Globalization;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Regions;

namespace Backflow.EndToEnd.Tests.Kit;

/// <summary>What a dataset should hold after the changesets a test published: CSV rows by key.</summary>
internal sealed class ExpectedRows(DatasetDefinition dataset)
{
    private readonly SortedDictionary<long, string?[]> _rows = [];

    public void Upsert(string?[] row) => _rows[long.Parse(row[0]!, CultureInfo.InvariantCulture)] = row;

    public void Delete(long id) => _rows.Remove(id);

    public string?[] Get(long id) => _rows[id];

    public IEnumerable<long> Keys => _rows.Keys;

    /// <summary>The expected rows an agent with this scope holds, as CLR values sorted by key.</summary>
    public IReadOnlyList<object?[]> For(RegionScope scope) =>
        _rows.Values.Where(r => scope.Covers(RegionCode.Parse(r[1]!))).Select(ToValues).ToArray();

    private object?[] ToValues(string?[] row) =>
        dataset.Columns.Select((c, i) => row[i] is null ? null : Parse(c.Type, row[i]!)).ToArray();

    private static object Parse(LogicalType type, string text) => type.Kind switch
    {
        LogicalKind.String => text,
        LogicalKind.Int32 => int.Parse(text, CultureInfo.InvariantCulture),
        LogicalKind.Int64 => long.Parse(text, CultureInfo.InvariantCulture),
        LogicalKind.Decimal => decimal.Parse(text, CultureInfo.InvariantCulture),
        LogicalKind.Double => double.Parse(text, CultureInfo.InvariantCulture),
        LogicalKind.Boolean => bool.Parse(text),
        LogicalKind.Date => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        LogicalKind.Timestamp => DateTime.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
        LogicalKind.Binary => Convert.FromBase64String(text),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
