using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Backflow.Server.Agents;
using Backflow.Server.Audit;
using Backflow.Server.Tests.Functional.Kit;

namespace Backflow.Server.Tests.Functional;

public sealed class AuthorizationTests
{
    private const string Changes = "/api/v1/feeds/test-entities/330106/changes";
    private const string Extract = "/api/v1/extracts/test-entities/330106/1";
    private const string Catalog = "/api/v1/catalog/test-entities";
    private const string Runs = "/api/v1/agents/me/runs";
    private const string Publish = "/api/v1/datasets/test-entities/changesets";

    [Fact]
    public async Task Every_endpoint_refuses_every_caller_it_must_refuse_with_a_problem_and_no_data()
    {
        await using var server = await BackflowServer.StartAsync();
        await server.PublishAsync(new TestRow("A", "甲", "330106"), new TestRow("B", "乙", "330108"));
        var revoked = await server.EnrollAgentAsync("330106");
        server.Get<AgentRegistry>().Revoke(revoked.AgentId, "test");
        var otherRegion = await server.EnrollAgentAsync("330108");
        var otherDataset = await server.EnrollAgentAsync("330106", "market-entities");
        var agent = await server.EnrollAgentAsync("330106");
        var publisher = server.AddToken("publisher", TestCatalog.Entities);
        var otherPublisher = server.AddToken("publisher", "market-entities");
        var @operator = server.AddToken("operator");

        (string Who, string? Token, string Route, HttpStatusCode Status, string Type)[] cases =
        [
            .. Everywhere("no token", null, HttpStatusCode.Unauthorized, "unauthenticated"),
            .. Everywhere("garbage token", "bfa_not-a-token", HttpStatusCode.Unauthorized, "unauthenticated"),
            .. Everywhere("token without prefix", "hello", HttpStatusCode.Unauthorized, "unauthenticated"),
            .. Everywhere("revoked agent", revoked.Token, HttpStatusCode.Unauthorized, "unauthenticated"),
            ("agent of another region", otherRegion.Token, Changes, HttpStatusCode.Forbidden, "forbidden"),
            ("agent of another region", otherRegion.Token, Extract, HttpStatusCode.Forbidden, "forbidden"),
            ("agent of another region", otherRegion.Token, Runs, HttpStatusCode.Forbidden, "forbidden"),
            ("agent of another region", otherRegion.Token, Publish, HttpStatusCode.Forbidden, "wrong-role"),
            ("agent without the dataset", otherDataset.Token, Changes, HttpStatusCode.Forbidden, "forbidden"),
            ("agent without the dataset", otherDataset.Token, Extract, HttpStatusCode.Forbidden, "forbidden"),
            ("agent without the dataset", otherDataset.Token, Catalog, HttpStatusCode.Forbidden, "forbidden"),
            ("agent without the dataset", otherDataset.Token, Runs, HttpStatusCode.Forbidden, "forbidden"),
            ("agent", agent.Token, Publish, HttpStatusCode.Forbidden, "wrong-role"),
            .. AgentRoutes("publisher", publisher, HttpStatusCode.Forbidden, "wrong-role"),
            ("publisher of another dataset", otherPublisher, Publish, HttpStatusCode.Forbidden, "forbidden"),
            ("publisher of another dataset", otherPublisher, Catalog, HttpStatusCode.Forbidden, "forbidden"),
            .. AgentRoutes("operator", @operator, HttpStatusCode.Forbidden, "wrong-role"),
            ("operator", @operator, Publish, HttpStatusCode.Forbidden, "wrong-role"),
        ];

        var failures = new List<string>();
        foreach (var (who, token, route, status, type) in cases)
        {
            using var response = await SendAsync(server, route, token);
            try
            {
                await ProblemAssert.AssertAsync(response, status, type);
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException)
            {
                failures.Add($"{who} → {route}: {e.Message}");
            }
        }

        Assert.Empty(failures);
        Assert.Empty(await ListedFeedsAsync(server, otherRegion, "330106"));
        Assert.Empty(await ListedFeedsAsync(server, otherDataset, "330106"));
        Assert.Single(await ListedFeedsAsync(server, agent, "330106"));
    }

    [Fact]
    public async Task Failed_authentications_are_audited()
    {
        await using var server = await BackflowServer.StartAsync();

        using var none = await server.GetAsync("/api/v1/feeds", null);
        using var garbage = await server.GetAsync(Extract, "bfa_garbage");

        var failed = server.Get<AuditLog>().Query(null, null, null).Where(r => r.Kind == AuditKinds.AuthenticationFailed).ToList();
        Assert.Contains(failed, r => r.Detail!.Contains("GET /api/v1/feeds", StringComparison.Ordinal) && r.Detail.Contains("no bearer token", StringComparison.Ordinal));
        Assert.Contains(failed, r => r.Detail!.Contains(Extract, StringComparison.Ordinal) && r.Detail.Contains("unknown or revoked", StringComparison.Ordinal));
        Assert.DoesNotContain(failed, r => r.Detail!.Contains("bfa_garbage", StringComparison.Ordinal));
    }

    private static IEnumerable<(string, string?, string, HttpStatusCode, string)> Everywhere(string who, string? token, HttpStatusCode status, string type) =>
        new[] { "/api/v1/feeds", Changes, Extract, Catalog, Runs, Publish }.Select(route => (who, token, route, status, type));

    private static IEnumerable<(string, string?, string, HttpStatusCode, string)> AgentRoutes(string who, string token, HttpStatusCode status, string type) =>
        new[] { "/api/v1/feeds", Changes, Extract, Runs }.Select(route => (who, (string?)token, route, status, type));

    private static Task<HttpResponseMessage> SendAsync(BackflowServer server, string route, string? token) => route switch
    {
        Runs => server.SendAsync(HttpMethod.Post, route, token, JsonContent.Create(new
        {
            dataset = TestCatalog.Entities, region = "330106", fromSequence = 0, toSequence = 1, rows = 1, durationMs = 5, outcome = "current",
        })),
        Publish => server.SendAsync(HttpMethod.Post, route, token, new StringContent(TestRow.CsvOf(new TestRow("Z", "窃", "330106")))),
        _ => server.GetAsync(route, token),
    };

    private static async Task<List<JsonElement>> ListedFeedsAsync(BackflowServer server, EnrolledAgent agent, string region) =>
        (await server.GetJsonAsync("/api/v1/feeds", agent.Token)).GetProperty("feeds").EnumerateArray()
            .Where(f => f.GetProperty("dataset").GetString() == TestCatalog.Entities && f.GetProperty("region").GetString() == region).ToList();
}
