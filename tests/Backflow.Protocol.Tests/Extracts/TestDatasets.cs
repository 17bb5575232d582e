using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;

namespace Backflow.Protocol.Tests.Extracts;

/// <summary>Catalog entries and helpers shared by the extract tests.</summary>
internal static class TestDatasets
{
    public const string Region = "330106";

    /// <summary>A dataset with every logical type, nullable and not; key (id, region).</summary>
    public static readonly DatasetDefinition EveryType = CatalogReader.Parse(EveryTypeJson(), "every-type.json");

    /// <summary>The same columns as <see cref="EveryType"/> but amount is decimal(18,2): another schema.</summary>
    public static readonly DatasetDefinition NarrowerAmount = CatalogReader.Parse(
        EveryTypeJson().Replace("\"decimal(28,4)\"", "\"decimal(18,2)\"", StringComparison.Ordinal),
        "every-type.json");

    public static ExtractHeader HeaderFor(DatasetDefinition dataset, long sequence = 1, string kind = ExtractHeader.Delta) =>
        new(dataset.Id, Region, sequence, dataset.SchemaHash, kind);

    /// <summary>A valid upsert of <see cref="EveryType"/> with the nullable columns null.</summary>
    public static object?[] MinimalUpsert(long id) =>
    [
        id, Region, "名称", null, 1, null, null, 0m, null, null, true, null, null,
        new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), null, null,
    ];

    public static async Task<MemoryStream> WriteAsync(DatasetDefinition dataset, IReadOnlyList<ExtractRow> rows, ExtractHeader? header = null)
    {
        var stream = new MemoryStream();
        await using (var writer = await ExtractWriter.CreateAsync(stream, dataset, header ?? HeaderFor(dataset)))
        {
            await writer.WriteRowGroupAsync(rows);
        }

        stream.Position = 0;
        return stream;
    }

    public static async Task<List<ExtractRow>> ReadAllAsync(Stream stream, DatasetDefinition dataset)
    {
        await using var reader = await ExtractReader.OpenAsync(stream, dataset);
        var rows = new List<ExtractRow>();
        await foreach (var row in reader.ReadAllAsync())
        {
            rows.Add(row);
        }

        return rows;
    }

    private static string EveryTypeJson() =>
        """
        {
          "id": "every-type", "title": "每种类型", "provider": "测试厅",
          "shareType": "unconditional", "updateCycle": "daily",
          "regionColumn": "region", "primaryKey": ["id", "region"],
          "columns": [
            { "name": "id", "type": "int64", "nullable": false },
            { "name": "region", "type": "string", "nullable": false },
            { "name": "name", "type": "string", "nullable": false },
            { "name": "note", "type": "string" },
            { "name": "count32", "type": "int32", "nullable": false },
            { "name": "count32_n", "type": "int32" },
            { "name": "count64_n", "type": "int64" },
            { "name": "amount", "type": "decimal(28,4)", "nullable": false },
            { "name": "price_n", "type": "decimal(18,2)" },
            { "name": "ratio_n", "type": "double" },
            { "name": "active", "type": "boolean", "nullable": false },
            { "name": "active_n", "type": "boolean" },
            { "name": "born_n", "type": "date" },
            { "name": "seen", "type": "timestamp", "nullable": false },
            { "name": "seen_n", "type": "timestamp" },
            { "name": "photo_n", "type": "binary" }
          ]
        }
        """;
}
