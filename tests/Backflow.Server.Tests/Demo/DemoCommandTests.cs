using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Backflow.Server.Cli;
using Backflow.Server.Demo;

namespace Backflow.Server.Tests.Demo;

public sealed partial class DemoCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "backflow-demo-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Demo_agents_converge_except_the_one_left_behind()
    {
        var output = new ConsoleCapture();
        using var stop = new CancellationTokenSource(Patience * 2);
        var demo = ServerCli.RunAsync(
            ["demo", "--urls", "http://127.0.0.1:0", "--data", _root, "--catalog", RepoRoot.Catalog, "--sync-interval", "1"], output, output, stop.Token);

        var (dashboard, token) = await WaitForBannerAsync(output, demo);
        using var http = new HttpClient { BaseAddress = dashboard };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var states = await WaitForConvergenceAsync(http, output);

        await stop.CancelAsync();
        Assert.Equal(0, await demo);

        var behind = DemoAgentPlan.All.Single(p => p.LeftBehind).Name;
        Assert.All(DemoAgentPlan.All.Where(p => !p.LeftBehind), p => Assert.Equal("current", states[p.Name]));
        Assert.Equal("behind", states[behind]);
        Assert.Contains("operator token: ", output.Text, StringComparison.Ordinal);
        Assert.All(DemoAgentPlan.All, p => Assert.Contains(p.Name, output.Text, StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_root, DemoFolder.MarkerName)));
    }

    [Fact]
    public async Task Demo_refuses_a_data_folder_it_did_not_make()
    {
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "metadata.db"), "not a demo");
        var output = new ConsoleCapture();

        var code = await ServerCli.RunAsync(["demo", "--urls", "http://127.0.0.1:0", "--data", _root, "--catalog", RepoRoot.Catalog], output, output);

        Assert.Equal(2, code);
        Assert.Contains("was not made by `demo`", output.Text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_root, "metadata.db")));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static async Task<(Uri Dashboard, string Token)> WaitForBannerAsync(ConsoleCapture output, Task<int> demo)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            Assert.False(demo.IsCompleted, "the demo stopped early: " + output.Text);
            var text = output.Text;
            var url = DashboardLine().Match(text);
            var token = TokenLine().Match(text);
            if (url.Success && token.Success)
            {
                return (new Uri(url.Groups[1].Value), token.Groups[1].Value);
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the demo printed no dashboard URL and operator token: " + output.Text);
    }

    /// <summary>Polls GET /api/v1/status until the agents that keep syncing are current; returns each agent's state.</summary>
    private static async Task<Dictionary<string, string>> WaitForConvergenceAsync(HttpClient http, ConsoleCapture output)
    {
        var deadline = TimeProvider.System.GetUtcNow() + Patience;
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/v1/status", UriKind.Relative)));
            states = status.RootElement.GetProperty("agents").EnumerateArray()
                .ToDictionary(a => a.GetProperty("name").GetString()!, a => a.GetProperty("state").GetString()!, StringComparer.Ordinal);
            if (states.Count == DemoAgentPlan.All.Count && DemoAgentPlan.All.Where(p => !p.LeftBehind).All(p => states[p.Name] == "current"))
            {
                return states;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"agents did not converge: {string.Join(", ", states.Select(s => s.Key + "=" + s.Value))}\n{output.Text}");
    }

    [GeneratedRegex(@"dashboard: (\S+)")]
    private static partial Regex DashboardLine();

    [GeneratedRegex(@"operator token: (\S+)")]
    private static partial Regex TokenLine();
}
