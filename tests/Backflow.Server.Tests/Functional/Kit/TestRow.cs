using System.Globalization;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Rows;

namespace Backflow.Server.Tests.Functional.Kit;

/// <summary>A row of <see cref="TestCatalog.Entities"/>, as CSV text and as the protocol's values.</summary>
internal sealed record TestRow(string Id, string Name, string Region, decimal? Amount = 12.5m, DateTime? UpdatedAt = null)
{
    public static readonly DateTime DefaultUpdated = new DateTime(2026, 11, 24, 8, 30, 0, DateTimeKind.Utc).AddTicks(1234560);

    public object?[] Values => [Id, Name, Region, Amount, UpdatedAt ?? DefaultUpdated];

    public string Csv => string.Join(',',
        Id, Quote(Name), Region,
        Amount?.ToString("0.00", CultureInfo.InvariantCulture) ?? string.Empty,
        (UpdatedAt ?? DefaultUpdated).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));

    public static string CsvOf(params TestRow[] rows) => TestCatalog.Header + "\n" + string.Concat(rows.Select(r => r.Csv + "\n"));

    /// <summary>The region checksum of these live rows, computed independently of the server's incremental one.</summary>
    public static RegionChecksum ChecksumOf(DatasetDefinition dataset, IEnumerable<TestRow> rows)
    {
        var encoder = new CanonicalEncoder();
        var checksum = RegionChecksum.Empty;
        foreach (var row in rows)
        {
            checksum = checksum.Add(RowDigest.ChecksumTerm(encoder.EncodeRow(dataset, row.Values)));
        }

        return checksum;
    }

    private static string Quote(string text) => text.Contains(',', StringComparison.Ordinal) || text.Contains('"', StringComparison.Ordinal)
        ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : text;
}
