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
}
