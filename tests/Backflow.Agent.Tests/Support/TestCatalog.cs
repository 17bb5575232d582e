using Backflow.Protocol.Catalog;

namespace Backflow.Agent.Tests.Support;

internal static class TestCatalog
{
    public const string Dataset = "test-entities";

    public const string Json = """
        {
          "id": "test-entities", "title": "测试主体", "provider": "测试局", "shareType": "unconditional", "updateCycle": "daily",
          "regionColumn": "county_code", "primaryKey": ["id"],
          "columns": [
            { "name": "id", "type": "string", "nullable": false },
            { "name": "name", "type": "string", "nullable": true },
            { "name": "county_code", "type": "string", "nullable": false },
            { "name": "amount", "type": "decimal(18,2)", "nullable": true }
          ]
        }
        """;

    public static DatasetDefinition Definition { get; } = CatalogReader.Parse(Json, "TestCatalog");
}
