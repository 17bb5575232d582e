using Backflow.Protocol.Catalog;
using Backflow.Server.Rebasing;

namespace Backflow.Server.Tests.Rebasing;

/// <summary>Which catalog changes deltas can carry, which the server can convert itself, and which need every row again.</summary>
public sealed class SchemaChangeTests
{
    private const string Base = """
        { "name": "id", "type": "string", "nullable": false },
        { "name": "region", "type": "string", "nullable": false },
        { "name": "amount", "type": "decimal(18,2)", "nullable": true },
        { "name": "note", "type": "string", "nullable": true }
        """;

    [Theory]
    [InlineData(Base, nameof(SchemaChangeKind.None))]
    [InlineData(Base + """, { "name": "extra", "type": "int32" }""", nameof(SchemaChangeKind.Additive))]
    [InlineData("""{ "name": "id", "type": "string", "nullable": false }, { "name": "region", "type": "string", "nullable": false }, { "name": "amount", "type": "decimal(18,2)" }""", nameof(SchemaChangeKind.Projectable))]
    [InlineData("""{ "name": "id", "type": "string", "nullable": false }, { "name": "region", "type": "string", "nullable": false }, { "name": "added", "type": "date" }, { "name": "amount", "type": "decimal(18,2)" }""", nameof(SchemaChangeKind.Projectable))]
    [InlineData("""{ "name": "id", "type": "string", "nullable": false }, { "name": "region", "type": "string", "nullable": false }, { "name": "note", "type": "string" }, { "name": "amount", "type": "decimal(18,2)" }""", nameof(SchemaChangeKind.Projectable))]
    [InlineData("""{ "name": "id", "type": "string", "nullable": false }, { "name": "region", "type": "string", "nullable": false }, { "name": "amount", "type": "decimal(18,4)" }, { "name": "note", "type": "string" }""", nameof(SchemaChangeKind.NeedsFullReload))]
    [InlineData(Base + """, { "name": "extra", "type": "int32", "nullable": false }""", nameof(SchemaChangeKind.NeedsFullReload))]
    public void Classifies_a_catalog_change(string columns, string expected)
    {
        var change = SchemaChange.Between(Dataset(Base).SchemaText, Dataset(columns));

        Assert.Equal(Enum.Parse<SchemaChangeKind>(expected), change.Kind);
    }

    [Fact]
    public void A_type_change_and_a_key_change_are_each_named()
    {
        var changed = Dataset(Base.Replace("\"decimal(18,2)\"", "\"string\"", StringComparison.Ordinal), """["id", "region"]""");

        var change = SchemaChange.Between(Dataset(Base).SchemaText, changed);

        Assert.Equal(SchemaChangeKind.NeedsFullReload, change.Kind);
        Assert.Contains("column 'amount' changes type from decimal(18,2) to string", change.Blockers);
        Assert.Contains("the primary key changes from (id) to (id, region)", change.Blockers);
        Assert.Contains("-column:amount:decimal(18,2):null", change.Description, StringComparison.Ordinal);
        Assert.Contains("+column:amount:string:null", change.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_published_schema_text_reads_back_into_a_definition_with_the_same_hash()
    {
        var dataset = Dataset(Base);

        var published = PublishedSchema.Parse(dataset.SchemaText).ToDefinition(dataset.Id);

        Assert.Equal(dataset.SchemaHash, published.SchemaHash);
    }

    private static DatasetDefinition Dataset(string columns, string key = """["id"]""") => CatalogReader.Parse(
        $$"""
        { "id": "schema-change", "title": "t", "provider": "p", "shareType": "unconditional", "updateCycle": "daily",
          "regionColumn": "region", "primaryKey": {{key}}, "columns": [ {{columns}} ] }
        """,
        "test");
}
