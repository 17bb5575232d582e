using Backflow.Agent.Cli;
using Backflow.Agent.Enrollment;
using Backflow.Agent.Loading;
using Backflow.Agent.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Backflow.Agent.Tests.Cli;

/// <summary>What a tired county IT person sees when something is wrong: one line that says what and how to fix it, and the documented exit code.</summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("backflow-cli-error-test-").FullName;
    private readonly InMemoryLoadTarget _target = new();

    [Fact]
    public async Task Enrolling_into_an_enrolled_folder_is_refused_unless_forced()
    {
        await using var server = await TestFeedServer.StartAsync();
        Assert.Equal(ExitCodes.Ok, (await RunAsync("enroll", "--server", server.Url.ToString(), "--code", TestFeedServer.EnrollmentCode)).Code);
        var before = await File.ReadAllTextAsync(Path.Combine(_state, "agent.json"));

        var (code, _, error) = await RunAsync("enroll", "--server", server.Url.ToString(), "--code", TestFeedServer.EnrollmentCode);

        Assert.Equal(ExitCodes.UsageOrConfiguration, code);
        Assert.Contains(TestFeedServer.AgentId, error, StringComparison.Ordinal);
        Assert.Contains("regions 330106", error, StringComparison.Ordinal);
        Assert.Contains(server.Url.ToString(), error, StringComparison.Ordinal);
        Assert.Contains("--force", error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(_state, "agent.json")));

        await server.PublishAsync("330106", 1);
        Assert.Equal(ExitCodes.Ok, (await RunAsync("sync")).Code);
        Assert.Single(await _target.ListPositionsAsync(CancellationToken.None));

        var (forced, output, forcedError) = await RunAsync("enroll", "--server", server.Url.ToString(), "--code", TestFeedServer.EnrollmentCode, "--force");

        Assert.True(forced == ExitCodes.Ok, forcedError);
        Assert.Contains("Replaced agent " + TestFeedServer.AgentId, output, StringComparison.Ordinal);
        Assert.Empty(await _target.ListPositionsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_refused_connection_is_one_line_naming_the_address_and_what_to_check()
    {
        var port = LoopbackPorts.Free();

        var (code, _, error) = await RunAsync("enroll", "--server", $"http://127.0.0.1:{port}", "--code", "AAAA-BBBB");

        Assert.Equal(ExitCodes.NotCurrent, code);
        Assert.Equal(
            $"error: enroll: cannot reach http://127.0.0.1:{port} (connection refused). Check the address and port, the proxy (Backflow:Proxy) and the firewall.",
            error.Trim());
        Assert.False(File.Exists(Path.Combine(_state, "agent.json")));
    }

    [Fact]
    public async Task Sync_while_the_server_is_down_names_the_server()
    {
        var port = LoopbackPorts.Free();
        WriteIdentity(new Uri($"http://127.0.0.1:{port}/"));
        using var key = Backflow.Protocol.Manifests.SigningKey.Generate();
        new StateFolder(_state).WriteTrustedKeys([key.PublicKey]);

        var (code, output, error) = await RunAsync("sync");

        Assert.Equal(ExitCodes.NotCurrent, code);
        Assert.StartsWith($"error: sync: could not list feeds: cannot reach http://127.0.0.1:{port} (connection refused)", error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_with_no_feeds_says_why_there_may_be_none_instead_of_all_current()
    {
        await using var server = await TestFeedServer.StartAsync();
        WriteIdentity(server.Url);
        new StateFolder(_state).WriteTrustedKeys([server.Key.PublicKey]);

        var (code, output, error) = await RunAsync("sync");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(
            "No feeds for agent 'agent-1a2b3c4d5e' (regions 330106) yet: nothing has been published for these regions in the datasets granted to it, or no dataset is granted. "
            + "The provincial operator can check with `backflow-server agents list` and grant one with `backflow-server agents grant agent-1a2b3c4d5e --datasets <dataset-id>`.",
            output.Trim());
        Assert.DoesNotContain("current", output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, error);
    }

    [Fact]
    public async Task A_wrong_enrollment_code_is_one_sentence_for_county_it()
    {
        await using var server = await TestFeedServer.StartAsync();

        var (code, _, error) = await RunAsync("enroll", "--server", server.Url.ToString(), "--code", "WRONG-CODE");

        Assert.Equal(ExitCodes.NotCurrent, code);
        Assert.Equal(
            "error: enroll: the server refused the enrollment code (HTTP 401): it is unknown, already used or expired; ask the provincial operator for a new one.",
            error.Trim());
    }

    [Fact]
    public void Ownership_advice_speaks_the_installers_language_on_each_system()
    {
        Assert.EndsWith("chown -R backflow-agent: /var/lib/backflow-agent", CliContext.OwnershipAdvice("/var/lib/backflow-agent", windows: false), StringComparison.Ordinal);
        Assert.EndsWith(
            @"icacls ""C:\ProgramData\Backflow"" /grant ""NT SERVICE\BackflowAgent:(OI)(CI)F"" /T",
            CliContext.OwnershipAdvice(@"C:\ProgramData\Backflow", windows: true),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("sync")]
    [InlineData("verify")]
    [InlineData("repair", "--dataset", "market-entities")]
    [InlineData("run")]
    public async Task A_command_on_a_mistyped_state_folder_says_not_enrolled_in_one_line_and_creates_nothing(params string[] command)
    {
        var missing = Path.Combine(_state, "typo");

        var output = new StringWriter();
        var error = new StringWriter();
        var code = await new AgentCli().RunAsync([.. command, "--state", missing], output, error);

        Assert.Equal(ExitCodes.UsageOrConfiguration, code);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: the agent is not enrolled", line, StringComparison.Ordinal);
        Assert.Contains("backflow-agent enroll", line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output.ToString());
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task An_unwritable_state_file_names_the_path_the_user_and_the_fix()
    {
        await using var server = await TestFeedServer.StartAsync();

        // A directory where the file must be written fails like a file owned by another user, even for root.
        var blocked = Path.Combine(_state, "agent.json.tmp");
        Directory.CreateDirectory(blocked);

        var (code, _, error) = await RunAsync("enroll", "--server", server.Url.ToString(), "--code", TestFeedServer.EnrollmentCode);

        Assert.Equal(ExitCodes.UsageOrConfiguration, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains(blocked, error, StringComparison.Ordinal);
        Assert.Contains($"user '{Environment.UserName}'", error, StringComparison.Ordinal);
        Assert.Contains("chown -R backflow-agent:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_database_names_the_file_the_user_and_the_fix()
    {
        WriteIdentity();
        var database = Path.Combine(_state, "ro.db");
        await using (var create = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database}"))
        {
            await create.OpenAsync();
        }

        var (code, _, error) = await RunAsync(
            sqlite: true, settings: new() { ["Backflow:ConnectionString"] = $"Data Source={database};Mode=ReadOnly" }, args: "status");

        Assert.Equal(ExitCodes.UsageOrConfiguration, code);
        Assert.Contains($"the database '{database}' is read-only for user '{Environment.UserName}'", error, StringComparison.Ordinal);
        Assert.Contains("chown -R backflow-agent:", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Backflow:Tables:x", "bad name;drop", "Backflow:Tables")]
    [InlineData("Backflow:DownloadAttempts", "five", "e.g. 5")]
    [InlineData("Backflow:RetryDelay", "2s", "00:00:02")]
    [InlineData("Backflow:DefaultSchedule", "*/10 * * * *", "Backflow:DefaultSchedule:")]
    [InlineData("Backflow:ConnectionString", "Data Source=/nonexistent/dir/x.db", "/nonexistent/dir/x.db")]
    public async Task A_configuration_mistake_is_one_line_and_exit_code_2(string key, string value, string expected)
    {
        WriteIdentity();

        var (code, _, error) = await RunAsync(sqlite: true, settings: new() { [key] = value }, args: "status");

        Assert.Equal(ExitCodes.UsageOrConfiguration, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_json_in_the_settings_file_says_where()
    {
        WriteIdentity();
        var file = Path.Combine(_state, "appsettings.json");
        await File.WriteAllTextAsync(file, "{ \"Backflow\": { \"Proxy\": \"direct\", } ");

        var output = new StringWriter();
        var error = new StringWriter();
        var code = await new AgentCli(null, c => c.AddJsonFile(file)).RunAsync(["status", "--state", _state], output, error);

        Assert.Equal(ExitCodes.UsageOrConfiguration, code);
        Assert.Single(error.ToString().Trim().Split('\n'));
        Assert.Contains(file, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("LineNumber", error.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_state, recursive: true);
    }

    private void WriteIdentity(Uri? server = null) => new StateFolder(_state).WriteIdentity(
        new AgentIdentity(server ?? new Uri("http://127.0.0.1:1/"), TestFeedServer.AgentId, "330106", TestFeedServer.Token, DateTimeOffset.UnixEpoch));

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => RunAsync(false, null, args);

    private async Task<(int Code, string Output, string Error)> RunAsync(bool sqlite, Dictionary<string, string?>? settings, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var all = new Dictionary<string, string?> { ["Backflow:RetryAttempts"] = "1", ["Backflow:RetryDelay"] = "00:00:00.010", ["Backflow:Proxy"] = "direct" };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var cli = new AgentCli(
            sqlite ? null : services => services.AddSingleton<ILoadTarget>(_target),
            configuration => configuration.AddInMemoryCollection(all));
        var code = await cli.RunAsync([.. args, "--state", _state], output, error);
        return (code, output.ToString(), error.ToString());
    }
}
