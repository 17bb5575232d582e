using System.Net;
using Backflow.Server.Tests.Functional.Kit;

namespace Backflow.Server.Tests.Functional;

public sealed class PathValidationTests
{
    private static readonly string Long = new('a', 300);

    public static TheoryData<string> InvalidPaths => new()
    {
        "/api/v1/feeds/Test-Entities/330106/changes",
        "/api/v1/feeds/test-entities/33010/changes",
        "/api/v1/feeds/test-entities/3301060/changes",
        "/api/v1/feeds/test-entities/33O106/changes",
        $"/api/v1/feeds/{Long}/330106/changes",
        "/api/v1/feeds/test%2Fentities/330106/changes",
        "/api/v1/feeds/test-entities/330106%2F..%2F330108/changes",
        "/api/v1/feeds/%E5%B8%82%E5%9C%BA/330106/changes",
        "/api/v1/extracts/..%2F..%2Fmetadata.db/330106/1",
        "/api/v1/extracts/TEST-ENTITIES/330106/1",
        "/api/v1/extracts/test-entities/330106/abc",
        "/api/v1/extracts/test-entities/330106/99999999999999999999999",
        "/api/v1/extracts/test-entities/330106/-1",
        "/api/v1/extracts/test-entities/330106/1.parquet",
        "/api/v1/catalog/..%2Fsecret",
        "/api/v1/catalog/Market-Entities",
        $"/api/v1/catalog/{Long}",
    };

    [Theory]
    [MemberData(nameof(InvalidPaths))]
    public async Task An_odd_path_segment_is_400_invalid_path(string path)
    {
        await using var server = await BackflowServer.StartAsync();
        var agent = await server.EnrollAgentAsync("330106");

        using var response = await server.GetAsync(path, agent.Token);

        await ProblemAssert.AssertAsync(response, HttpStatusCode.BadRequest, "invalid-path");
    }

    [Theory]
    [InlineData("/api/v1/datasets/Market%2FEntities/changesets")]
    [InlineData("/api/v1/datasets/..%2F..%2Fx/changesets")]
    public async Task An_odd_dataset_id_in_a_publish_is_400_invalid_path(string path)
    {
        await using var server = await BackflowServer.StartAsync();
        var token = server.AddToken("publisher");

        using var response = await server.SendAsync(HttpMethod.Post, path, token, new StringContent(TestRow.CsvOf(new TestRow("A", "甲", "330106"))));

        await ProblemAssert.AssertAsync(response, HttpStatusCode.BadRequest, "invalid-path");
    }

    [Fact]
    public async Task Publishing_to_a_dataset_the_catalog_does_not_have_is_404_not_found()
    {
        await using var server = await BackflowServer.StartAsync();
        var token = server.AddToken("publisher");

        using var response = await server.SendAsync(HttpMethod.Post, "/api/v1/datasets/no-such-dataset/changesets", token, new StringContent(TestRow.CsvOf(new TestRow("A", "甲", "330106"))));

        var problem = await ProblemAssert.AssertAsync(response, HttpStatusCode.NotFound, "not-found");
        Assert.Contains("no-such-dataset", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nul_byte_in_the_path_is_refused_by_kestrel_with_400()
    {
        await using var server = await BackflowServer.StartAsync();
        var agent = await server.EnrollAgentAsync("330106");

        using var response = await server.GetAsync("/api/v1/feeds/test-entities%00/330106/changes", agent.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/extracts/test-entities/330106/%2E%2E")]
    [InlineData("/api/v1/feeds/test-entities/%2E%2E/changes")]
    [InlineData("/api/v1/extracts/test-entities/330106")]
    [InlineData("/api/v1/extracts/test-entities/330106/1/2")]
    public async Task A_path_that_matches_no_route_is_a_problem_never_a_500(string path)
    {
        await using var server = await BackflowServer.StartAsync();
        var agent = await server.EnrollAgentAsync("330106");

        using var response = await server.GetAsync(path, agent.Token);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
