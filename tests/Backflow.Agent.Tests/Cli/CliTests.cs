using System.Text.Json;
using Backflow.Agent.Cli;
using Backflow.Agent.Loading;
using Backflow.Agent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Backflow.Agent.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("backflow-cli-test-").FullName;
    private readonly InMemoryLoadTarget _target = new();

    [Fact]
    public async Task Enroll_stores_the_token_and_keys_owner_only_and_prints_the_fingerprint()
    {
        await using var server = await TestFeedServer.StartAsync();

        var (code, output, error) = await RunAsync("enroll", "--server", server.Url.ToString(), "--code", TestFeedServer.EnrollmentCode);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains(server.Key.PublicKey.Fingerprint, output, StringComparison.Ordinal);
        Assert.Contains(TestFeedServer.Token, await File.ReadAllTextAsync(Path.Combine(_state, "agent.json")), StringComparison.Ordinal);
        var key = Path.Combine(_state, "trusted-keys", server.Key.KeyId + ".pem");
        Assert.Equal(server.Key.PublicKey.ToPem(), await File.ReadAllTextAsync(key));
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(_state, "agent.json")));
            Assert.Equal(ownerOnly, File.GetUnixFileMode(key));
        }
    }

    [Fact]
    public async Task Enroll_with_a_used_code_fails_with_the_servers_reason()
    {
        await using var server = await TestFeedServer.StartAsync();

        var (code, _, error) = await RunAsync("enroll", "--server", server.Url.ToString(), "--code", "WRONG-CODE");

        Assert.Equal(ExitCodes.NotCurrent, code);
        Assert.Contains("ask the provincial operator for a new one", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_state, "agent.json")));
    }

    [Fact]
    public async Task Sync_before_enrolling_is_a_configuration_error_that_says_what_to_run()
    {
        var (code, _, error) = await RunAsync("sync");

        Assert.Equal(ExitCodes.UsageOrConfiguration, code);
        Assert.Contains("backflow-agent enroll", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error()
    {
        var (code, _, error) = await RunAsync("sync", "--datasett", "x");

        Assert.Equal(ExitCodes.UsageOrConfiguration, code);
        Assert.Contains("--help", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_exits_zero_only_when_every_feed_is_current()
    {
        await using var server = await TestFeedServer.StartAsync();
        await server.PublishAsync("330106", 1);
        await RunAsync("enroll", "--server", server.Url.ToString(), "--code", TestFeedServer.EnrollmentCode);

        var (code, output, _) = await RunAsync("sync");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("current", output, StringComparison.Ordinal);

        (await server.PublishAsync("330106", 2)).File = [1, 2, 3];
        Assert.Equal(ExitCodes.NotCurrent, (await RunAsync("sync")).Code);
    }

    [Fact]
    public async Task Status_json_shows_lag_blocked_and_row_count()
    {
        WriteIdentity();
        await _target.ApplyAsync(
            TestCatalog.Definition,
            Backflow.Protocol.Manifests.ManifestSerializer.Deserialize(ManifestPayload(await ExtractFactory.WriteAsync("330106", 1, 3))),
            await OpenAsync(),
            CancellationToken.None);
        await _target.SaveHealthAsync(
            new FeedHealth(TestCatalog.Dataset, "330106", 5, 3, true, "HashMismatch: altered", null, null, null), CancellationToken.None);

        var (code, output, _) = await RunAsync("status", "--json");

        Assert.Equal(ExitCodes.NotCurrent, code);
        var feed = JsonDocument.Parse(output).RootElement.GetProperty("feeds")[0];
        Assert.Equal(1, feed.GetProperty("appliedSequence").GetInt64());
        Assert.Equal(5, feed.GetProperty("latestKnownSequence").GetInt64());
        Assert.Equal(4, feed.GetProperty("lag").GetInt64());
        Assert.True(feed.GetProperty("blocked").GetBoolean());
        Assert.Equal(3, feed.GetProperty("rowCount").GetInt64());
        Assert.Equal("HashMismatch: altered", feed.GetProperty("lastError").GetString());

        var (_, table, _) = await RunAsync("status");
        Assert.Contains("BLOCKED", table, StringComparison.Ordinal);
        Assert.Contains("--retry-blocked", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_says_a_diverged_feed_needs_repair_not_retry_blocked()
    {
        WriteIdentity();
        await _target.SaveHealthAsync(
            new FeedHealth(TestCatalog.Dataset, "330106", 5, 0, true, "LocalCopyDiverged: local copy diverged", null, null, null, Diverged: true), CancellationToken.None);

        var (code, table, _) = await RunAsync("status");
        var (_, json, _) = await RunAsync("status", "--json");

        Assert.Equal(ExitCodes.NotCurrent, code);
        Assert.Contains("test-entities/330106: diverged — run `backflow-agent repair --dataset test-entities`", table, StringComparison.Ordinal);
        Assert.DoesNotContain("--retry-blocked", table, StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(json).RootElement.GetProperty("feeds")[0].GetProperty("diverged").GetBoolean());
    }

    private void WriteIdentity() => new Backflow.Agent.Enrollment.StateFolder(_state).WriteIdentity(
        new Backflow.Agent.Enrollment.AgentIdentity(new Uri("http://127.0.0.1:1/"), TestFeedServer.AgentId, "330106", TestFeedServer.Token, DateTimeOffset.UnixEpoch));

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private static byte[] ManifestPayload(byte[] file)
    {
        using var key = Backflow.Protocol.Manifests.SigningKey.Generate();
        var envelope = Backflow.Protocol.Manifests.Dsse.Deserialize(ExtractFactory.Sign(key, "330106", 1, file, 3));
        return Convert.FromBase64String(envelope.Payload);
    }

    private async Task<Backflow.Protocol.Extracts.ExtractReader> OpenAsync() =>
        await Backflow.Protocol.Extracts.ExtractReader.OpenAsync(new MemoryStream(await ExtractFactory.WriteAsync("330106", 1, 3)), TestCatalog.Definition);

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var cli = new AgentCli(services => services.AddSingleton<ILoadTarget>(_target));
        var code = await cli.RunAsync([.. args, "--state", _state], output, error);
        return (code, output.ToString(), error.ToString());
    }
}
