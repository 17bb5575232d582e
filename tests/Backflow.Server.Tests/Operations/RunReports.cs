using System.Net.Http.Json;
using Backflow.Server.Tests.Functional.Kit;

namespace Backflow.Server.Tests.Operations;

/// <summary>Reports runs as an agent does (POST /api/v1/agents/me/runs), for tests that need a fleet without real agents.</summary>
internal static class RunReports
{
    public static async Task ReportAsync(BackflowServer server, EnrolledAgent agent, string region, long from, long to, string outcome,
        string dataset = TestCatalog.Entities, string? error = null)
    {
        using var response = await server.SendAsync(HttpMethod.Post, "/api/v1/agents/me/runs", agent.Token, JsonContent.Create(new
        {
            dataset, region, fromSequence = from, toSequence = to, rows = 1, durationMs = 5, outcome, error,
        }));
        Assert.True(response.IsSuccessStatusCode, $"run report: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
