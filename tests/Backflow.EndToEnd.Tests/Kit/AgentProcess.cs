using System.Diagnostics;
using System.Text.Json;

namespace Backflow.EndToEnd.Tests.Kit;

/// <summary>A real <c>backflow-agent</c> with its own state folder (token, keys, staging, SQLite database).</summary>
internal sealed class AgentProcess(string root, string name)
{
    public string StateDirectory { get; } = Path.Combine(root, "agent-" + name);

    public string Database => Path.Combine(StateDirectory, "backflow.db");

    /// <summary>Settings for this agent's processes, as <c>BACKFLOW__…</c> variables.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public Task<ProcessResult> CliAsync(params string[] args) =>
        DotnetProcess.RunAsync(RepoPaths.AgentDll, [.. args, "--state", StateDirectory], root, TimeSpan.FromMinutes(5), Environment);

    public async Task EnrollAsync(Uri server, string code)
    {
        var result = await CliAsync("enroll", "--server", server.ToString(), "--code", code);
        Assert.True(result.ExitCode == 0, "enroll failed: " + result);
    }

    public async Task<ProcessResult> SyncAsync(params string[] extra) => await CliAsync(["sync", .. extra]);

    public async Task<JsonElement> StatusAsync()
    {
        var result = await CliAsync("status", "--json");
        Assert.True(result.ExitCode is 0 or 1, "status failed: " + result);
        return JsonDocument.Parse(result.Output).RootElement;
    }

    /// <summary>Starts <c>sync</c> without waiting, so a test can kill it part-way.</summary>
    public Process StartSync()
    {
        var process = Process.Start(DotnetProcess.StartInfo(RepoPaths.AgentDll, ["sync", "--state", StateDirectory], root, Environment))!;
        process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEndAsync();
        return process;
    }
}
