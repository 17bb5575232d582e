using System.Net;
using System.Text;
using Backflow.Server.Tests.Functional.Kit;

namespace Backflow.Server.Tests.Functional;

public sealed class MalformedRequestTests
{
    public static TheoryData<string, string> Bodies => new()
    {
        { "/api/v1/enroll", "{\"code\": " },
        { "/api/v1/enroll", "not json" },
        { "/api/v1/enroll", "{\"code\": 42}" },
        { "/api/v1/enroll", "[]" },
        { "/api/v1/agents/me/runs", "{\"dataset\": \"test-entities\", " },
        { "/api/v1/agents/me/runs", "{\"dataset\": \"test-entities\", \"region\": \"330106\", \"fromSequence\": \"one\"}" },
        { "/api/v1/agents/me/runs", "null" },
        { "/api/v1/agents/me/runs", "{\"dataset\": \"test-entities\", \"region\": \"330106\", \"fromSequence\": 0, \"toSequence\": 1, \"rows\": 1, \"durationMs\": 1, \"outcome\": \"sideways\"}" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_malformed_json_body_is_400_invalid_request(string path, string body)
    {
        await using var server = await BackflowServer.StartAsync();
        var agent = await server.EnrollAgentAsync("330106");

        using var response = await server.SendAsync(HttpMethod.Post, path, agent.Token, new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.AssertAsync(response, HttpStatusCode.BadRequest, "invalid-request");
    }

    [Fact]
    public async Task A_form_instead_of_json_is_415_with_a_backflow_type_that_says_to_send_json()
    {
        await using var server = await BackflowServer.StartAsync();

        using var response = await server.SendAsync(HttpMethod.Post, "/api/v1/enroll", null,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = "XXXX-XXXX" }));

        var problem = await ProblemAssert.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, "invalid-request");
        Assert.Contains("application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("after=abc", "after")]
    [InlineData("limit=x", "limit")]
    [InlineData("after=-1", "after")]
    [InlineData("limit=1001", "limit")]
    public async Task A_malformed_query_is_400_invalid_request_naming_the_parameter(string query, string parameter)
    {
        await using var server = await BackflowServer.StartAsync();
        var agent = await server.EnrollAgentAsync("330106");

        using var response = await server.GetAsync("/api/v1/feeds/test-entities/330106/changes?" + query, agent.Token);

        var problem = await ProblemAssert.AssertAsync(response, HttpStatusCode.BadRequest, "invalid-request");
        Assert.Contains(parameter, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_type_names_the_parameter_and_the_value()
    {
        await using var server = await BackflowServer.StartAsync();

        using var response = await server.GetAsync("/api/v1/status?lagging=maybe", server.AddToken("operator"));

        var problem = await ProblemAssert.AssertAsync(response, HttpStatusCode.BadRequest, "invalid-request");
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("lagging", detail, StringComparison.Ordinal);
        Assert.Contains("maybe", detail, StringComparison.Ordinal);
        Assert.Contains("protocol/HTTP-API.md", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_report_is_accepted()
    {
        await using var server = await BackflowServer.StartAsync();
        var agent = await server.EnrollAgentAsync("330106");

        using var response = await server.SendAsync(HttpMethod.Post, "/api/v1/agents/me/runs", agent.Token, new StringContent(
            "{\"dataset\": \"test-entities\", \"region\": \"330106\", \"fromSequence\": 0, \"toSequence\": 0, \"rows\": 0, \"durationMs\": 12, \"outcome\": \"current\", \"error\": null, \"startedAt\": \"2026-11-26T06:40:08.123456Z\"}",
            Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
