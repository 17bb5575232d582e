using System.Net;
using System.Text;
using Backflow.Server.Metadata;
using Backflow.Server.Rebasing;
using Backflow.Server.Tests.Functional.Kit;
using Dapper;

namespace Backflow.Server.Tests.Rebasing;

/// <summary>Breaking schema changes over HTTP: the publish API's problem type, and the re-base history in status and the dashboard.</summary>
public sealed class RebaseHttpTests
{
    [Fact]
    public async Task A_publish_over_http_under_a_breaking_change_is_409_rebase_required_and_the_rebase_shows_in_status_and_on_the_dashboard()
    {
        await using var server = await BackflowServer.StartAsync();
        await server.PublishAsync(new TestRow("A", "甲", "330106"), new TestRow("B", "乙", "330108"));
        // As if the rows had been published while the catalog said amount was a string: the catalog's decimal is then a type change.
        using (var connection = server.Get<MetadataDatabase>().Open())
        {
            connection.Execute("UPDATE schema_versions SET schema_text = replace(schema_text, 'column:amount:decimal(18,2):null', 'column:amount:string:null'), schema_hash = 'published-earlier'");
        }

        var publisher = server.AddToken("publisher");
        using var refused = await server.SendAsync(HttpMethod.Post, "/api/v1/datasets/test-entities/changesets", publisher,
            new ByteArrayContent(Encoding.UTF8.GetBytes(TestRow.CsvOf(new TestRow("C", "丙", "330106")))));
        var problem = await ProblemAssert.AssertAsync(refused, HttpStatusCode.Conflict, "rebase-required");
        Assert.Contains("backflow-server rebase --dataset test-entities --file", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("column 'amount' changes type from string to decimal(18,2)", problem.GetProperty("blockers")[0].GetString(), StringComparison.Ordinal);

        await server.Get<Rebaser>().RebaseAsync(
            new RebaseRequest(TestCatalog.Entities, new MemoryStream(Encoding.UTF8.GetBytes(TestRow.CsvOf(new TestRow("A", "甲", "330106", 1m)))), Encoding.UTF8, "test"),
            CancellationToken.None);

        var operatorToken = server.AddToken("operator");
        var status = await server.GetJsonAsync("/api/v1/status", operatorToken);
        var rebase = Assert.Single(status.GetProperty("rebases").EnumerateArray());
        Assert.Equal(("breaking-schema", 2L, "test"), (rebase.GetProperty("reason").GetString(), rebase.GetProperty("newSchemaVersion").GetInt64(), rebase.GetProperty("actor").GetString()));
        Assert.True(rebase.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UnixEpoch);

        await DashboardPages.SignInAsync(server, operatorToken);
        var chinese = await DashboardPages.GetAsync(server, "/dashboard/datasets/test-entities");
        Assert.Contains("id=\"rebases\"", chinese, StringComparison.Ordinal);
        Assert.Contains("破坏性结构变更（全量重载）", chinese, StringComparison.Ordinal);
        Assert.Contains("330106, 330108", chinese, StringComparison.Ordinal);
        var page = await DashboardPages.GetAsync(server, "/dashboard/datasets/test-entities", english: true);
        Assert.Contains("breaking schema change (full reload)", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Until_the_rebase_the_catalog_api_serves_the_published_schema_so_a_new_agent_builds_the_table_its_extracts_fit()
    {
        await using var server = await BackflowServer.StartAsync();
        await server.PublishAsync(new TestRow("A", "甲", "330106"));
        using (var connection = server.Get<MetadataDatabase>().Open())
        {
            connection.Execute("UPDATE schema_versions SET schema_text = replace(schema_text, 'column:amount:decimal(18,2):null', 'column:amount:string:null'), schema_hash = 'published-earlier'");
        }

        var operatorToken = server.AddToken("operator");
        var before = await server.GetJsonAsync("/api/v1/catalog/test-entities", operatorToken);
        var published = Backflow.Protocol.Catalog.CatalogReader.Parse(before.GetProperty("definition").GetRawText(), "served");
        Assert.Equal(1L, before.GetProperty("schemaVersion").GetInt64());
        Assert.Equal("string", published.Columns.Single(c => c.Name == "amount").Type.ToString());
        Assert.Equal(published.SchemaHash, before.GetProperty("schemaHash").GetString());
        Assert.Equal(server.Dataset().Title, published.Title);

        await server.Get<Rebaser>().RebaseAsync(
            new RebaseRequest(TestCatalog.Entities, new MemoryStream(Encoding.UTF8.GetBytes(TestRow.CsvOf(new TestRow("A", "甲", "330106", 1m)))), Encoding.UTF8, "test"),
            CancellationToken.None);

        var after = await server.GetJsonAsync("/api/v1/catalog/test-entities", operatorToken);
        Assert.Equal(2L, after.GetProperty("schemaVersion").GetInt64());
        Assert.Equal(server.Dataset().SchemaHash, after.GetProperty("schemaHash").GetString());
    }
}
