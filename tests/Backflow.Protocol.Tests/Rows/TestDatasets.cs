using Backflow.Protocol.Catalog;

namespace Backflow.Protocol.Tests.Rows;

/// <summary>Small catalogs built in code for encoding tests: a key, a region, then the given columns.</summary>
internal static class TestDatasets
{
    /// <param name="columns">Extra columns as JSON objects, e.g. <c>{ "name": "x", "type": "double" }</c>.</param>
    public static DatasetDefinition With(params string[] columns)
    {
        var json = $$"""
            {
              "id": "test-rows", "title": "t", "provider": "p", "shareType": "unconditional", "updateCycle": "daily",
              "regionColumn": "region", "primaryKey": ["id"],
              "columns": [
                { "name": "id", "type": "string", "nullable": false },
                { "name": "region", "type": "string", "nullable": false }{{string.Concat(columns.Select(c => ", " + c))}}
              ]
            }
            """;
        return CatalogReader.Parse(json, "test");
    }

    /// <summary>A dataset with one extra nullable column of the given type, named <c>v</c>.</summary>
    public static DatasetDefinition OneColumn(string type) => With($$"""{ "name": "v", "type": "{{type}}" }""");
}
