using System.Net;
using Backflow.Server.Tests.Functional.Kit;

namespace Backflow.Server.Tests.Operations;

public sealed class MetricsTests
{
    [Fact]
    public async Task Lag_gauges_match_the_status_api()
    {
        await using var fx = await StatusFixture.CreateAsync();
        var status = await fx.Server.GetJsonAsync("/api/v1/status", fx.OperatorToken);
        var samples = await ScrapeAsync(fx.Server);

        foreach (var feed in status.GetProperty("feeds").EnumerateArray())
        {
            var agent = feed.GetProperty("agentId").GetString()!;
            var dataset = feed.GetProperty("dataset").GetString()!;
            var region = feed.GetProperty("region").GetString()!;
            Assert.Equal(feed.GetProperty("lagExtracts").GetInt64(), Value(samples, "backflow_feed_lag_extracts", agent, dataset, region));
            Assert.Equal(feed.GetProperty("lagSeconds").GetDouble(), Value(samples, "backflow_feed_lag_seconds", agent, dataset, region));
        }

        Assert.Equal(status.GetProperty("feeds").GetArrayLength(), samples.Count(s => s.Name == "backflow_feed_lag_extracts"));
        Assert.Equal(1, samples.Single(s => s.Name == "backflow_feeds" && s.Labels["state"] == "late").Value);
        Assert.Equal(6, samples.Single(s => s.Name == "backflow_agents").Value);
        Assert.Equal(5, samples.Single(s => s.Name == "backflow_publishes_total").Value);
        Assert.Equal(1, samples.Single(s => s.Name == "backflow_verification_failures_total" && s.Labels["outcome"] == "blocked").Value);
    }

    [Fact]
    public async Task Downloads_and_request_durations_are_counted()
    {
        await using var fx = await StatusFixture.CreateAsync();
        var extract = await AgentView.DownloadAsync(fx.Server, fx.Current, "330106", 1);
        var samples = await ScrapeAsync(fx.Server);
        Assert.Equal(1, samples.Single(s => s.Name == "backflow_extracts_served_total").Value);
        Assert.Equal(extract.Length, samples.Single(s => s.Name == "backflow_served_bytes_total").Value);
        Assert.Equal(6, samples.Single(s => s.Name == "backflow_published_rows_total").Value);
        Assert.Contains(samples, s => s.Name == "http_request_duration_seconds_count" && s.Labels.GetValueOrDefault("endpoint", "").Contains("extracts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_need_an_operator_token()
    {
        await using var server = await BackflowServer.StartAsync();
        using var anonymous = await server.GetAsync("/metrics", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var publisher = await server.GetAsync("/metrics", server.AddToken("publisher"));
        Assert.Equal(HttpStatusCode.Forbidden, publisher.StatusCode);
    }

    [Fact]
    public async Task Health_and_readiness_answer_200()
    {
        await using var server = await BackflowServer.StartAsync();
        using var health = await server.GetAsync("/healthz", null);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var ready = await server.GetAsync("/readyz", null);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    private static async Task<IReadOnlyList<(string Name, IReadOnlyDictionary<string, string> Labels, double Value)>> ScrapeAsync(BackflowServer server)
    {
        using var response = await server.GetAsync("/metrics", server.AddToken("operator"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    private static double Value(IReadOnlyList<(string Name, IReadOnlyDictionary<string, string> Labels, double Value)> samples, string name, string agent, string dataset, string region) =>
        samples.Single(s => s.Name == name && s.Labels["agent"] == agent && s.Labels["dataset"] == dataset && s.Labels["region"] == region).Value;
}
