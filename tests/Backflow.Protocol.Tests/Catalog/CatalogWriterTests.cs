using System.Text;
using Backflow.Protocol.Catalog;

namespace Backflow.Protocol.Tests.Catalog;

public sealed class CatalogWriterTests
{
    [Fact]
    public void Written_catalog_json_reads_back_to_the_same_definition()
    {
        foreach (var dataset in CatalogReader.ReadDirectory(RepoRoot.Catalog))
        {
            var json = Encoding.UTF8.GetString(CatalogWriter.ToJson(dataset));
            var back = CatalogReader.Parse(json, "roundtrip");

            Assert.Equal(dataset.SchemaHash, back.SchemaHash);
            Assert.Equal(dataset.Title, back.Title);
            Assert.Equal(dataset.ShareType, back.ShareType);
            Assert.Equal(dataset.Columns, back.Columns);
            Assert.Contains(dataset.Title, json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Dataset_wide_rows_are_off_by_default_survive_the_round_trip_and_leave_the_schema_hash_alone()
    {
        var plain = CatalogReader.Parse(CatalogJson.Valid, "market-entities.json");
        var wide = CatalogReader.Parse(CatalogJson.With(root => root["datasetWideRows"] = true), "market-entities.json");

        var back = CatalogReader.Parse(Encoding.UTF8.GetString(CatalogWriter.ToJson(wide)), "roundtrip");

        Assert.False(plain.DatasetWideRows);
        Assert.True(wide.DatasetWideRows);
        Assert.True(back.DatasetWideRows);
        Assert.Equal(plain.SchemaHash, wide.SchemaHash);
        Assert.DoesNotContain("datasetWideRows", Encoding.UTF8.GetString(CatalogWriter.ToJson(plain)), StringComparison.Ordinal);
    }
}
