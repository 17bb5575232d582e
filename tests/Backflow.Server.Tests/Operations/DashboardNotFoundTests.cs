using System.Net;
using Backflow.Server.Tests.Functional.Kit;

namespace Backflow.Server.Tests.Operations;

/// <summary>A mistyped dashboard link or an old bookmark is a dashboard page with a way back, not the API's JSON problem.</summary>
public sealed class DashboardNotFoundTests
{
    [Theory]
    [InlineData("/dashboard/nope")]
    [InlineData("/dashboard/agents/agent-0000000000")]
    [InlineData("/dashboard/datasets/no-such-dataset")]
    public async Task An_address_that_names_nothing_is_a_404_page_in_the_operators_language(string path)
    {
        await using var server = await BackflowServer.StartAsync();
        await DashboardPages.SignInAsync(server, server.AddToken("operator"));

        using var response = await server.Http.GetAsync(new Uri(path, UriKind.Relative));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("没有这个页面", html, StringComparison.Ordinal);
        Assert.Contains(path, html, StringComparison.Ordinal);
        Assert.Contains("href=\"/dashboard\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_addresses_that_name_nothing_stay_json_problems()
    {
        await using var server = await BackflowServer.StartAsync();

        using var response = await server.Http.GetAsync(new Uri("/api/v1/nope", UriKind.Relative));

        await ProblemAssert.AssertAsync(response, HttpStatusCode.NotFound, "not-found");
    }
}
