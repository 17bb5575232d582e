using System.Text;
using Backflow.Server.Agents;
using Backflow.Server.Hosting;
using Backflow.Server.Publishing;
using Backflow.Server.Security;

namespace Backflow.Server.Demo;

/// <summary>
/// The whole demo in one process: a fresh server, the three sample datasets published with follow-up changesets,
/// and real agents enrolled and syncing on a short interval, one of them left behind, until cancelled.
/// </summary>
internal sealed class DemoRunner(DemoSettings settings, TextWriter output)
{
    private const string Actor = "demo";

    // Request logs would bury the demo's own lines; warnings and errors still show.
    private static readonly string[] HostArgs = ["--Logging:LogLevel:Default=Warning"];

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var folder = DemoFolder.Recreate(settings.DataFolder);
        await using var app = ServerHost.Build(HostArgs, folder.ServerData, settings.CatalogFolder, settings.Urls);
        await ListenAddresses.StartAsync(app, ct);
        var agents = new List<DemoAgent>();
        try
        {
            var server = new Uri(app.Urls.First());
            var time = app.Services.GetRequiredService<TimeProvider>();
            var data = new DemoData(time.GetUtcNow());
            await Line($"Backflow demo: server on {server}, data in {folder.Root}");
            foreach (var changeset in data.Initial())
            {
                await PublishAsync(app.Services, changeset, ct);
            }

            var logs = app.Services.GetRequiredService<ILoggerFactory>();
            var registry = app.Services.GetRequiredService<AgentRegistry>();
            foreach (var (plan, index) in DemoAgentPlan.All.Select((p, i) => (p, i)))
            {
                var added = registry.Add(plan.Name, plan.Regions, plan.Datasets, DemoAgentPlan.Approval, Actor);
                var agent = await DemoAgent.EnrollAsync(plan.Name, folder.AgentState(index), server, added.EnrollmentCode, logs, ct);
                agents.Add(agent);
                await Line($"enrolled {agent.Name} ({agent.AgentId}) for {plan.Regions}: {await agent.SyncAsync(ct)}");
                agent.Paused = plan.LeftBehind;
            }

            // Published after every agent's first sync, so the paused one has something to be behind on.
            foreach (var changeset in data.FollowUps(time.GetUtcNow()))
            {
                await PublishAsync(app.Services, changeset, ct);
            }

            var (_, token) = app.Services.GetRequiredService<TokenRegistry>().Add("operator", null, Actor);
            await Banner(server, token, folder, agents);
            await Task.WhenAll(agents.Select(a => a.RunAsync(settings.SyncInterval, time, (agent, result) => Report(time, agent, result), ct)));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await Line("stopping the demo");
        }
        finally
        {
            foreach (var agent in agents)
            {
                await agent.DisposeAsync();
            }

            await app.StopAsync(CancellationToken.None);
        }

        return 0;
    }

    private async Task PublishAsync(IServiceProvider services, DemoChangeset changeset, CancellationToken ct)
    {
        var utf8 = new UTF8Encoding(false);
        var request = new PublishRequest(
            changeset.Dataset,
            new MemoryStream(utf8.GetBytes(changeset.Changes)),
            changeset.Deletes is null ? null : new MemoryStream(utf8.GetBytes(changeset.Deletes)),
            utf8,
            PublishId: null,
            Actor);
        var result = await services.GetRequiredService<Publisher>().PublishAsync(request, ct);
        await Line($"published {changeset.Dataset}: {changeset.Description} → {string.Join(", ", result.Regions.Select(r => r.Region + "#" + r.Sequence))}");
    }

    private async Task Banner(Uri server, string token, DemoFolder folder, IReadOnlyList<DemoAgent> agents)
    {
        var text = new StringBuilder()
            .AppendLine()
            .AppendLine($"dashboard: {new Uri(server, "/dashboard")}")
            .AppendLine($"operator token: {token}")
            .AppendLine("agents (in this process, each with its own state folder and SQLite file):");
        foreach (var (agent, plan) in agents.Zip(DemoAgentPlan.All))
        {
            var schedule = plan.LeftBehind
                ? "paused after its first sync: left behind on purpose"
                : $"syncs every {settings.SyncInterval.TotalSeconds:0} s";
            text.AppendLine($"  {agent.Name}  {agent.AgentId}  regions {plan.Regions}  {string.Join(", ", plan.Datasets)}")
                .AppendLine($"      {schedule}; {Path.GetRelativePath(folder.Root, agent.DatabaseFile)}");
        }

        text.AppendLine("status from the command line: backflow-server status --data " + folder.ServerData)
            .AppendLine("Ctrl+C stops the demo; the next run starts again from nothing.");
        await Line(text.ToString());
    }

    private void Report(TimeProvider time, DemoAgent agent, DemoSyncResult result)
    {
        // Quiet polls that found nothing new are the normal case; only progress and trouble are worth a line.
        if (result.Extracts > 0 || result.Errors.Count > 0)
        {
            lock (output)
            {
                output.WriteLine($"[{time.GetLocalNow():HH:mm:ss}] {agent.Name}: {result}");
            }
        }
    }

    private async Task Line(string text)
    {
        lock (output)
        {
            output.WriteLine(text);
        }

        await output.FlushAsync();
    }
}
