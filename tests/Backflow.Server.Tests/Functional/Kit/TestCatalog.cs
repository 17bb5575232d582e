namespace Backflow.Server.Tests.Functional.Kit;

/// <summary>Small datasets the functional tests add to a copy of the repository's catalog.</summary>
internal static class TestCatalog
{
    public const string Entities = "test-entities";
    public const string Secret = "secret-records";

    /// <summary>The same columns as <see cref="Entities"/>, updated monthly (to judge lateness against a slow cycle).</summary>
    public const string Monthly = "test-monthly";
    public const string Header = "id,name,region_code,amount,updated_at";

    /// <summary>Key id; a decimal and a timestamp so that exact round trips are checked.</summary>
    public const string EntitiesJson =
        """
        {
          "id": "test-entities", "title": "测试主体", "provider": "测试厅", "shareType": "unconditional", "updateCycle": "daily",
          "regionColumn": "region_code", "primaryKey": ["id"],
          "columns": [
            { "name": "id", "type": "string", "nullable": false },
            { "name": "name", "type": "string", "nullable": false },
            { "name": "region_code", "type": "string", "nullable": false },
            { "name": "amount", "type": "decimal(18,2)", "nullable": true },
            { "name": "updated_at", "type": "timestamp", "nullable": true }
          ]
        }
        """;

    /// <summary>Share type none: may be published, never granted.</summary>
    public const string SecretJson =
        """
        {
          "id": "secret-records", "title": "不予共享", "provider": "测试厅", "shareType": "none", "updateCycle": "daily",
          "regionColumn": "region_code", "primaryKey": ["id"],
          "columns": [
            { "name": "id", "type": "string", "nullable": false },
            { "name": "region_code", "type": "string", "nullable": false }
          ]
        }
        """;
}
