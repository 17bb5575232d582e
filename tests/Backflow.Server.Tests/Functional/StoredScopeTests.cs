using System.Net;
using Backflow.Server.Metadata;
using Backflow.Server.Tests.Functional.Kit;
using Dapper;

namespace Backflow.Server.Tests.Functional;

/// <summary>
/// Agents created before region codes needed a real province may hold a scope entry such as 999999. Such an entry
/// grants nothing; it must not turn the agent's requests or the operators' status into server errors.
/// </summary>
public sealed class StoredScopeTests
{
    private const string Changes = "/api/v1/feeds/test-entities/330106/changes";

    [Fact]
    public async Task A_stored_scope_entry_the_rules_no_longer_accept_grants_nothing_and_breaks_nothing()
    {
        await using var server = await BackflowServer.StartAsync();
        await server.PublishAsync(new TestRow("A", "甲", "330106"));
        var mixed = await server.EnrollAgentAsync("330106");
        var invalidOnly = await server.EnrollAgentAsync("330108");
        SetStoredRegions(server, mixed.AgentId, "330106,999999");
        SetStoredRegions(server, invalidOnly.AgentId, "999999");
        var @operator = server.AddToken("operator");

        using (var response = await server.GetAsync(Changes, mixed.Token))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var response = await server.GetAsync(Changes, invalidOnly.Token))
        {
            await ProblemAssert.AssertAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        }

        var status = await server.GetJsonAsync("/api/v1/status", @operator);
        var agents = status.GetProperty("agents").EnumerateArray().ToDictionary(a => a.GetProperty("agentId").GetString()!, a => a.GetProperty("regions").GetString());
        Assert.Equal("330106,999999", agents[mixed.AgentId]);
        Assert.Equal("999999", agents[invalidOnly.AgentId]);
        var feeds = status.GetProperty("feeds").EnumerateArray().Select(f => f.GetProperty("agentId").GetString()).ToList();
        Assert.Contains(mixed.AgentId, feeds);
        Assert.DoesNotContain(invalidOnly.AgentId, feeds);
    }

    /// <summary>What a server from before the province check left behind (enrollment itself now refuses such codes).</summary>
    private static void SetStoredRegions(BackflowServer server, string agentId, string regions)
    {
        using var connection = server.Get<MetadataDatabase>().Open();
        connection.Execute("UPDATE agents SET regions = @regions WHERE agent_id = @agentId", new { regions, agentId });
    }
}
