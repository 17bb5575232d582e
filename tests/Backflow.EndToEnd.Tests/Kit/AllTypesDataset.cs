using System.Globalization;
using System.Text;

namespace Backflow.EndToEnd.Tests.Kit;

/// <summary>
/// A test dataset with a column of every logical type, written into the test server's catalog, and a generator
/// of CSV changesets whose expected rows the test keeps so the agent's table can be compared value by value.
/// </summary>
internal static class AllTypesDataset
{
    public const string Id = "e2e-all-types";
    public const string Table = "e2e_all_types";

    public const string CatalogJson = """
        {
          "id": "e2e-all-types",
          "title": "端到端全类型测试",
          "provider": "测试部门",
          "shareType": "unconditional",
          "updateCycle": "daily",
          "regionColumn": "county_code",
          "datasetWideRows": true,
          "primaryKey": ["id"],
          "columns": [
            { "name": "id", "type": "int64", "nullable": false, "description": "编号" },
            { "name": "county_code", "type": "string", "nullable": false, "description": "县级行政区划代码" },
            { "name": "name", "type": "string", "nullable": true, "description": "名称" },
            { "name": "small", "type": "int32", "nullable": true },
            { "name": "amount", "type": "decimal(18,4)", "nullable": true },
            { "name": "ratio", "type": "double", "nullable": true },
            { "name": "flag", "type": "boolean", "nullable": true },
            { "name": "born", "type": "date", "nullable": true },
            { "name": "seen_at", "type": "timestamp", "nullable": true },
            { "name": "photo", "type": "binary", "nullable": true }
          ]
        }
        """;

    public static readonly string[] Columns = ["id", "county_code", "name", "small", "amount", "ratio", "flag", "born", "seen_at", "photo"];

    public static void Install(string catalogDirectory) =>
        File.WriteAllText(Path.Combine(catalogDirectory, Id + ".json"), CatalogJson, Encoding.UTF8);

    /// <summary>One row as CSV fields (null = empty unquoted field).</summary>
    public static string?[] Row(long id, string region, Random random)
    {
        string? Maybe(string value) => random.Next(6) == 0 ? null : value;
        var micros = random.NextInt64(-2_000_000_000_000_000, 4_000_000_000_000_000);
        var seen = DateTime.UnixEpoch.AddTicks(micros * 10);
        return
        [
            id.ToString(CultureInfo.InvariantCulture),
            region,
            random.Next(10) switch { 0 => null, 1 => string.Empty, _ => "名称" + id + "，含\"引号\"与,逗号" },
            Maybe(random.Next(int.MinValue, int.MaxValue).ToString(CultureInfo.InvariantCulture)),
            Maybe((random.NextInt64(-99_999_999_999_999, 99_999_999_999_999) / 10_000m).ToString("F4", CultureInfo.InvariantCulture)),
            Maybe((random.NextDouble() * 1e6 - 5e5).ToString("R", CultureInfo.InvariantCulture)),
            Maybe(random.Next(2) == 0 ? "true" : "false"),
            Maybe(new DateOnly(random.Next(1900, 2030), random.Next(1, 13), random.Next(1, 29)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            Maybe(seen.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)),
            Maybe(Convert.ToBase64String(Enumerable.Range(0, random.Next(0, 12)).Select(i => (byte)random.Next(256)).ToArray())),
        ];
    }

    /// <param name="columns">The header; the catalog's columns by default (another list after a schema change).</param>
    public static string Csv(IEnumerable<string?[]> rows, IReadOnlyList<string>? columns = null)
    {
        var text = new StringBuilder(string.Join(',', columns ?? Columns)).Append('\n');
        foreach (var row in rows)
        {
            text.Append(string.Join(',', row.Select(Field))).Append('\n');
        }

        return text.ToString();
    }

    private static string Field(string? value) =>
        value switch
        {
            null => string.Empty,
            "" => "\"\"",
            _ when value.IndexOfAny(['"', ',', '\n']) >= 0 => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
            _ => value,
        };
}
