using System.Text.Json.Nodes;
using Backflow.Protocol.Catalog;

namespace Backflow.Protocol.Tests.Catalog;

public sealed class SchemaHashTests
{
    private static string HashOf(string json) => CatalogReader.Parse(json, "t.json").SchemaHash;

    [Fact]
    public void Titles_descriptions_and_share_attributes_do_not_change_the_schema_hash()
    {
        var baseline = HashOf(CatalogJson.Valid);
        var reworded = HashOf(CatalogJson.With(r =>
        {
            r["title"] = "另一个标题";
            r["shareType"] = "conditional";
            r["updateCycle"] = "monthly";
            CatalogJson.Column(r, 0)["description"] = "说明";
            CatalogJson.Column(r, 0)["sensitive"] = true;
        }));

        Assert.Equal(baseline, reworded);
    }

    public static TheoryData<string> MeaningChanges() => new()
    {
        CatalogJson.With(r => CatalogJson.Column(r, 2)["type"] = "decimal(18,3)"),
        CatalogJson.With(r => CatalogJson.Column(r, 3)["nullable"] = false),
        CatalogJson.With(r => CatalogJson.Column(r, 3)["name"] = "founded_on"),
        CatalogJson.With(r => r["columns"]!.AsArray().Add(new JsonObject { ["name"] = "extra", ["type"] = "string" })),
        CatalogJson.With(r => r["primaryKey"] = new JsonArray("uscc", "county_code")),
    };

    [Theory]
    [MemberData(nameof(MeaningChanges))]
    public void Any_change_to_columns_types_or_key_changes_the_schema_hash(string changed)
    {
        Assert.NotEqual(HashOf(CatalogJson.Valid), HashOf(changed));
    }

    [Fact]
    public void The_schema_text_lists_key_region_and_typed_columns()
    {
        var dataset = CatalogReader.Parse(CatalogJson.Valid, "t.json");

        Assert.Equal(
            "backflow.schema/1\nkey:uscc\nregion:county_code\n" +
            "column:uscc:string:notnull\ncolumn:county_code:string:notnull\n" +
            "column:registered_capital:decimal(18,2):null\ncolumn:established_on:date:null\n",
            dataset.SchemaText);
    }
}
