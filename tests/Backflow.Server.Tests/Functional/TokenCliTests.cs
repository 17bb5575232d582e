using System.Net;
using System.Text.Json;
using Backflow.Server.Audit;
using Backflow.Server.Security;
using Backflow.Server.Tests.Functional.Kit;

namespace Backflow.Server.Tests.Functional;

/// <summary><c>backflow-server tokens list|revoke</c>, run in-process next to a running server as an operator would.</summary>
public sealed class TokenCliTests
{
    private const string Publish = "/api/v1/datasets/test-entities/changesets";

    [Fact]
    public async Task Tokens_list_shows_active_tokens_and_never_their_secrets()
    {
        await using var server = await BackflowServer.StartAsync();
        var publisher = server.Get<TokenRegistry>().Add("publisher", [TestCatalog.Entities], "test");
        var @operator = server.Get<TokenRegistry>().Add("operator", null, "test");
        var revoked = server.Get<TokenRegistry>().Add("publisher", null, "test");
        server.Get<TokenRegistry>().Revoke(revoked.TokenId, "test");

        var active = await CliRunner.RunAsync(server.Paths, "tokens", "list");
        var all = await CliRunner.RunAsync(server.Paths, "tokens", "list", "--all");

        Assert.True(active.Exit == 0, active.Error);
        Assert.True(all.Exit == 0, all.Error);
        Assert.Contains(publisher.TokenId, active.Output, StringComparison.Ordinal);
        Assert.Contains(TestCatalog.Entities, active.Output, StringComparison.Ordinal);
        Assert.Contains(@operator.TokenId, active.Output, StringComparison.Ordinal);
        Assert.Contains("all", active.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(revoked.TokenId, active.Output, StringComparison.Ordinal);
        Assert.Contains(revoked.TokenId, all.Output, StringComparison.Ordinal);
        foreach (var (_, token) in new[] { publisher, @operator, revoked })
        {
            Assert.DoesNotContain(token, all.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(TokenCodec.Hash(token), all.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_revoked_publisher_token_is_refused_at_its_next_publish_and_the_revocation_is_audited()
    {
        await using var server = await BackflowServer.StartAsync();
        var (tokenId, token) = server.Get<TokenRegistry>().Add("publisher", [TestCatalog.Entities], "test");
        using (var before = await PublishAsync(server, token, new TestRow("A", "甲", "330106")))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var (exit, output, error) = await CliRunner.RunAsync(server.Paths, "tokens", "revoke", tokenId);

        Assert.True(exit == 0, error);
        Assert.Contains($"token {tokenId} (publisher) revoked", output, StringComparison.Ordinal);
        using var after = await PublishAsync(server, token, new TestRow("B", "乙", "330106"));
        await ProblemAssert.AssertAsync(after, HttpStatusCode.Unauthorized, "unauthenticated");
        var record = Assert.Single(server.Get<AuditLog>().Query(null, null, null), r => r.Kind == AuditKinds.TokenRevoked);
        Assert.StartsWith("cli:", record.Actor, StringComparison.Ordinal);
        Assert.Equal($"{tokenId} role=publisher", record.Detail);
    }

    [Fact]
    public async Task Revoking_an_unknown_or_already_revoked_token_fails_and_says_why()
    {
        await using var server = await BackflowServer.StartAsync();
        var (tokenId, _) = server.Get<TokenRegistry>().Add("operator", null, "test");
        server.Get<TokenRegistry>().Revoke(tokenId, "test");

        var unknown = await CliRunner.RunAsync(server.Paths, "tokens", "revoke", "publisher-00000000");
        var again = await CliRunner.RunAsync(server.Paths, "tokens", "revoke", tokenId);

        Assert.Equal(2, unknown.Exit);
        Assert.Contains("no token 'publisher-00000000'", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("tokens list", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(2, again.Exit);
        Assert.Contains($"token '{tokenId}' was already revoked at", again.Error, StringComparison.Ordinal);
        Assert.Single(server.Get<AuditLog>().Query(null, null, null), r => r.Kind == AuditKinds.TokenRevoked);
    }

    [Fact]
    public async Task Tokens_list_and_revoke_print_json_without_secrets()
    {
        await using var server = await BackflowServer.StartAsync();
        var publisher = server.Get<TokenRegistry>().Add("publisher", [TestCatalog.Entities, "market-entities"], "test");
        var @operator = server.Get<TokenRegistry>().Add("operator", null, "test");

        var revoke = await CliRunner.RunAsync(server.Paths, "tokens", "revoke", @operator.TokenId, "--json");
        var list = await CliRunner.RunAsync(server.Paths, "tokens", "list", "--all", "--json");

        Assert.True(revoke.Exit == 0, revoke.Error);
        Assert.True(list.Exit == 0, list.Error);
        var revoked = JsonDocument.Parse(revoke.Output).RootElement;
        Assert.Equal(@operator.TokenId, revoked.GetProperty("tokenId").GetString());
        Assert.Equal("revoked", revoked.GetProperty("state").GetString());
        Assert.NotNull(revoked.GetProperty("revokedAt").GetString());
        var tokens = JsonDocument.Parse(list.Output).RootElement.EnumerateArray().ToDictionary(t => t.GetProperty("tokenId").GetString()!);
        Assert.Equal(2, tokens.Count);
        var listed = tokens[publisher.TokenId];
        Assert.Equal(
            ["createdAt", "datasets", "revokedAt", "role", "state", "tokenId"],
            listed.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("publisher", listed.GetProperty("role").GetString());
        Assert.Equal([TestCatalog.Entities, "market-entities"], listed.GetProperty("datasets").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("revokedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, tokens[@operator.TokenId].GetProperty("datasets").ValueKind);
        Assert.Equal(revoked.GetProperty("revokedAt").GetString(), tokens[@operator.TokenId].GetProperty("revokedAt").GetString());
        Assert.DoesNotContain(publisher.Token, list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(TokenCodec.Hash(publisher.Token), list.Output, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> PublishAsync(BackflowServer server, string token, TestRow row) =>
        server.SendAsync(HttpMethod.Post, Publish, token, new StringContent(TestRow.CsvOf(row)));
}
