using System.Text.Json.Nodes;

namespace Backflow.Protocol.Tests.Catalog;

/// <summary>A valid catalog entry as a mutable JSON tree, so each test breaks exactly one thing.</summary>
internal static class CatalogJson
{
    public const string Valid = """
        {
          "id": "market-entities",
          "title": "市场主体登记信息",
          "provider": "省市场监督管理局",
          "shareType": "unconditional",
          "updateCycle": "daily",
          "regionColumn": "county_code",
          "primaryKey": ["uscc"],
          "columns": [
            { "name": "uscc", "type": "string", "nullable": false, "description": "统一社会信用代码" },
            { "name": "county_code", "type": "string", "nullable": false },
            { "name": "registered_capital", "type": "decimal(18,2)", "nullable": true, "description": "注册资本（万元）" },
            { "name": "established_on", "type": "date", "nullable": true, "sensitive": false }
          ]
        }
        """;

    public static string With(Action<JsonObject> change)
    {
        var node = JsonNode.Parse(Valid)!.AsObject();
        change(node);
        return node.ToJsonString();
    }

    public static JsonObject Column(JsonObject root, int index) => root["columns"]![index]!.AsObject();
}
