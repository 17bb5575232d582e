using System.Net;
using Backflow.Server.Hosting;
using Backflow.Server.Tests.Functional.Kit;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Tests.Functional;

/// <summary>
/// Resolved tokens are cached; every change to who may call must still bite at the very next request, including a
/// change written by another process (a <c>backflow-server agents revoke</c> run next to the server), simulated here
/// by a plain SQLite connection of its own that the server knows nothing about.
/// </summary>
public sealed class TokenCacheTests
{
    private const string Changes = "/api/v1/feeds/test-entities/330106/changes";

    [Fact]
    public async Task A_revocation_written_by_another_process_refuses_the_next_request_of_a_cached_token()
    {
        await using var server = await BackflowServer.StartAsync();
        await server.PublishAsync(new TestRow("A", "甲", "330106"));
        var agent = await server.EnrollAgentAsync("330106");
        await AssertStatusAsync(server, agent.Token, HttpStatusCode.OK);
        await AssertStatusAsync(server, agent.Token, HttpStatusCode.OK);

        Outside(server, "UPDATE agents SET revoked_at = '2026-01-01T00:00:00.000000Z', token_hash = NULL WHERE agent_id = $id", agent.AgentId);

        await AssertStatusAsync(server, agent.Token, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_grant_withdrawn_by_another_process_is_forbidden_at_the_next_request()
    {
        await using var server = await BackflowServer.StartAsync();
        await server.PublishAsync(new TestRow("A", "甲", "330106"));
        var agent = await server.EnrollAgentAsync("330106");
        await AssertStatusAsync(server, agent.Token, HttpStatusCode.OK);

        Outside(server, "DELETE FROM grants WHERE agent_id = $id", agent.AgentId);

        await AssertStatusAsync(server, agent.Token, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Seeing_an_agent_does_not_invalidate_cached_tokens()
    {
        await using var server = await BackflowServer.StartAsync();
        var before = Generation(server);

        await server.EnrollAgentAsync("330106");

        Assert.True(Generation(server) > before, "enrolling an agent must move the security generation");
        var afterEnroll = Generation(server);
        Outside(server, "UPDATE agents SET last_seen_at = '2026-01-02T00:00:00.000000Z'", string.Empty);
        Assert.Equal(afterEnroll, Generation(server));
    }

    private static async Task AssertStatusAsync(BackflowServer server, string token, HttpStatusCode expected)
    {
        using var response = await server.GetAsync(Changes, token);
        Assert.Equal(expected, response.StatusCode);
    }

    private static long Generation(BackflowServer server)
    {
        using var connection = OpenOutside(server);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT generation FROM security_generation";
        return (long)command.ExecuteScalar()!;
    }

    private static void Outside(BackflowServer server, string sql, string agentId)
    {
        using var connection = OpenOutside(server);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", agentId);
        command.ExecuteNonQuery();
    }

    private static SqliteConnection OpenOutside(BackflowServer server)
    {
        var connection = new SqliteConnection($"Data Source={server.Get<ServerPaths>().MetadataDatabase};Pooling=False");
        connection.Open();
        return connection;
    }
}
