using System.Text.Json.Nodes;
using Backflow.Protocol.Catalog;

namespace Backflow.Protocol.Tests.Catalog;

public sealed class CatalogReaderTests
{
    [Fact]
    public void A_valid_entry_is_read_with_every_field()
    {
        var dataset = CatalogReader.Parse(CatalogJson.Valid, "market-entities.json");

        Assert.Equal("market-entities", dataset.Id);
        Assert.Equal("市场主体登记信息", dataset.Title);
        Assert.Equal("省市场监督管理局", dataset.Provider);
        Assert.Equal(ShareType.Unconditional, dataset.ShareType);
        Assert.Equal(UpdateCycle.Daily, dataset.UpdateCycle);
        Assert.Equal("county_code", dataset.RegionColumn);
        Assert.Equal(1, dataset.RegionOrdinal);
        Assert.Equal(["uscc"], dataset.PrimaryKey);
        Assert.Equal([0], dataset.KeyOrdinals);
        Assert.Equal(new LogicalType(LogicalKind.Decimal, 18, 2), dataset.Columns[2].Type);
        Assert.Equal("注册资本（万元）", dataset.Columns[2].Description);
        Assert.True(dataset.Columns[3].Nullable);
        Assert.Equal(64, dataset.SchemaHash.Length);
        Assert.Equal(-1, dataset.OrdinalOf("nope"));
    }

    public static TheoryData<string, string, string> BrokenEntries() => new()
    {
        { CatalogJson.With(r => r["id"] = "Market_Entities"), "id", "not a valid dataset id" },
        { CatalogJson.With(r => r["id"] = "market--entities"), "id", "not a valid dataset id" },
        { CatalogJson.With(r => r.Remove("id")), "id", "missing" },
        { CatalogJson.With(r => r["title"] = ""), "title", "non-empty string" },
        { CatalogJson.With(r => r.Remove("provider")), "provider", "missing" },
        { CatalogJson.With(r => r["shareType"] = "public"), "shareType", "use one of unconditional, conditional, none" },
        { CatalogJson.With(r => r["updateCycle"] = "hourly"), "updateCycle", "use one of realtime, daily" },
        { CatalogJson.With(r => r["regionColumn"] = "region"), "regionColumn", "'region' is not in columns" },
        { CatalogJson.With(r => r.Remove("regionColumn")), "regionColumn", "missing" },
        { CatalogJson.With(r => CatalogJson.Column(r, 1)["type"] = "int32"), "regionColumn", "must be of type string" },
        { CatalogJson.With(r => CatalogJson.Column(r, 1)["nullable"] = true), "regionColumn", "is nullable" },
        { CatalogJson.With(r => r["primaryKey"] = new JsonArray()), "primaryKey", "non-empty array" },
        { CatalogJson.With(r => r.Remove("primaryKey")), "primaryKey", "missing" },
        { CatalogJson.With(r => r["primaryKey"] = new JsonArray("uscc", "nope")), "primaryKey[1]", "key column 'nope' is not in columns" },
        { CatalogJson.With(r => r["primaryKey"] = new JsonArray("uscc", "uscc")), "primaryKey[1]", "appears twice" },
        { CatalogJson.With(r => r["primaryKey"] = new JsonArray("registered_capital")), "primaryKey[0]", "key column 'registered_capital' is nullable" },
        { CatalogJson.With(r => r["primaryKey"] = new JsonArray("")), "primaryKey[0]", "non-empty column name" },
        { CatalogJson.With(r => r["columns"] = new JsonArray()), "columns", "non-empty array" },
        { CatalogJson.With(r => CatalogJson.Column(r, 2)["type"] = "money"), "columns[2].type", "unknown type 'money'" },
        { CatalogJson.With(r => CatalogJson.Column(r, 2)["type"] = "decimal(40,2)"), "columns[2].type", "precision 40" },
        { CatalogJson.With(r => CatalogJson.Column(r, 2)["type"] = "decimal(4,6)"), "columns[2].type", "scale 6" },
        { CatalogJson.With(r => CatalogJson.Column(r, 2)["name"] = "uscc"), "columns[2].name", "duplicate column 'uscc'" },
        { CatalogJson.With(r => CatalogJson.Column(r, 2)["name"] = "Registered Capital"), "columns[2].name", "not a valid column name" },
        { CatalogJson.With(r => CatalogJson.Column(r, 2).Remove("type")), "columns[2].type", "missing" },
        { CatalogJson.With(r => CatalogJson.Column(r, 2)["nullable"] = "yes"), "columns[2].nullable", "true or false" },
        { CatalogJson.With(r => CatalogJson.Column(r, 2)["sensitive"] = 1), "columns[2].sensitive", "true or false" },
        { CatalogJson.With(r => CatalogJson.Column(r, 2)["nulable"] = true), "columns[2].nulable", "unknown field" },
        { CatalogJson.With(r => r["primarykey"] = new JsonArray("uscc")), "primarykey", "unknown field" },
        { CatalogJson.With(r => { CatalogJson.Column(r, 3)["type"] = "double"; CatalogJson.Column(r, 3)["nullable"] = false; r["primaryKey"] = new JsonArray("established_on"); }), "primaryKey[0]", "keys must be string, integer" },
        { "[1, 2]", "(file)", "one JSON object" },
        { "{ \"id\": ", "(file)", "not valid JSON at line 1" },
    };

    [Theory]
    [MemberData(nameof(BrokenEntries))]
    public void Each_broken_rule_is_reported_with_file_field_and_reason(string json, string field, string reason)
    {
        var error = Assert.Throws<CatalogException>(() => CatalogReader.Parse(json, "catalog/test.json"));

        var match = Assert.Single(error.Errors, e => e.Field == field);
        Assert.Equal("catalog/test.json", match.Source);
        Assert.Contains(reason, match.Reason, StringComparison.Ordinal);
        Assert.Contains("catalog/test.json: " + field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_in_a_file_is_reported_not_just_the_first()
    {
        var json = CatalogJson.With(r =>
        {
            r["id"] = "BAD";
            r["shareType"] = "open";
            CatalogJson.Column(r, 2)["type"] = "float";
        });

        var error = Assert.Throws<CatalogException>(() => CatalogReader.Parse(json, "x.json"));

        Assert.Equal(["id", "shareType", "columns[2].type"], error.Errors.Select(e => e.Field).ToArray());
    }

    [Fact]
    public void A_file_whose_name_differs_from_its_id_is_refused()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "entities.json");
        File.WriteAllText(path, CatalogJson.Valid);

        var error = Assert.Throws<CatalogException>(() => CatalogReader.ReadFile(path));

        Assert.Contains("rename the file to market-entities.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_catalog_folder_says_how_to_fix_it()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => CatalogReader.ReadDirectory("/nonexistent/catalog"));
        Assert.Contains("--catalog", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_a_folder_reports_the_errors_of_every_bad_file()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "market-entities.json"), CatalogJson.Valid);
        File.WriteAllText(Path.Combine(dir.Path, "a.json"), "{}");
        File.WriteAllText(Path.Combine(dir.Path, "b.json"), "not json");

        var error = Assert.Throws<CatalogException>(() => CatalogReader.ReadDirectory(dir.Path));

        Assert.Contains(error.Errors, e => e.Source.EndsWith("a.json", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Source.EndsWith("b.json", StringComparison.Ordinal));
    }

    [Fact]
    public void The_shipped_sample_catalog_is_valid()
    {
        var datasets = CatalogReader.ReadDirectory(RepoRoot.Catalog);

        Assert.Equal(["household-changes", "market-entities", "social-insurance-contributions"], datasets.Select(d => d.Id).ToArray());
        Assert.All(datasets, d => Assert.All(d.Columns, c => Assert.False(string.IsNullOrWhiteSpace(c.Description))));
        var kinds = datasets.SelectMany(d => d.Columns).Select(c => c.Type.Kind).ToHashSet();
        Assert.Superset(new HashSet<LogicalKind> { LogicalKind.Decimal, LogicalKind.Date, LogicalKind.Timestamp, LogicalKind.String }, kinds);
    }
}
