using Backflow.Protocol.Catalog;

namespace Backflow.Agent.Tests.Loading;

/// <summary>Catalog entries for the loading tests, parsed from inline catalog JSON.</summary>
internal static class LoadingDatasets
{
    public const string Region = "330106";
    public const string OtherRegion = "330108";

    /// <summary>Every logical type, nullable and not; key (id, region).</summary>
    public static readonly DatasetDefinition EveryType = Parse(EveryTypeColumns, string.Empty);

    /// <summary><see cref="EveryType"/> plus a nullable column at the end: an additive change.</summary>
    public static readonly DatasetDefinition EveryTypeWithRemark = Parse(EveryTypeColumns, """, { "name": "remark", "type": "string" }""");

    /// <summary><see cref="EveryType"/> plus a NOT NULL column at the end: not addable in place.</summary>
    public static readonly DatasetDefinition EveryTypeWithRequired = Parse(EveryTypeColumns, """, { "name": "remark", "type": "string", "nullable": false }""");

    /// <summary><see cref="EveryType"/> with amount narrowed to decimal(18,2): an incompatible type change.</summary>
    public static readonly DatasetDefinition EveryTypeNarrowAmount = Parse(EveryTypeColumns.Replace("decimal(28,4)", "decimal(18,2)", StringComparison.Ordinal), string.Empty);

    /// <summary>A dataset whose key (uscc) does not include the region column.</summary>
    public static readonly DatasetDefinition Entities = CatalogReader.Parse(
        """
        {
          "id": "market-entities", "title": "市场主体", "provider": "市场监管局",
          "shareType": "unconditional", "updateCycle": "daily",
          "regionColumn": "region", "primaryKey": ["uscc"],
          "columns": [
            { "name": "uscc", "type": "string", "nullable": false },
            { "name": "region", "type": "string", "nullable": false },
            { "name": "name", "type": "string", "nullable": false }
          ]
        }
        """,
        "market-entities.json");

    private const string EveryTypeColumns = """
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
        """;

    /// <summary>A row of <see cref="EveryType"/> (or a wider variant, padded with nulls) with the nullable columns null.</summary>
    public static object?[] Row(long id, string region = Region, string name = "名称", decimal amount = 0m, DatasetDefinition? dataset = null)
    {
        var values = new object?[(dataset ?? EveryType).Columns.Count];
        values[0] = id;
        values[1] = region;
        values[2] = name;
        values[4] = (int)id;
        values[7] = amount;
        values[10] = true;
        values[13] = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(id * 10);
        return values;
    }

    /// <summary>A delete row of <see cref="EveryType"/>: key and region only.</summary>
    public static object?[] Key(long id, string region = Region)
    {
        var values = new object?[EveryType.Columns.Count];
        values[0] = id;
        values[1] = region;
        return values;
    }

    private static DatasetDefinition Parse(string columns, string extraColumns) => CatalogReader.Parse(
        $$"""
        {
          "id": "every-type", "title": "每种类型", "provider": "测试厅",
          "shareType": "unconditional", "updateCycle": "daily",
          "regionColumn": "region", "primaryKey": ["id", "region"],
          "columns": [ {{columns}} {{extraColumns}} ]
        }
        """,
        "every-type.json");
}
