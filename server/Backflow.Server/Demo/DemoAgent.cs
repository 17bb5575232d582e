using Backflow.Agent.Enrollment;
using Backflow.Agent.Hosting;
using Backflow.Agent.Sync;
using Backflow.Agent.Loading.Sqlite;

namespace Backflow.Server.Demo;

/// <summary>
/// A real agent hosted in this process: the agent's own services (<see cref="AgentServiceCollectionExtensions.AddBackflowAgent"/>),
/// its own state folder and SQLite file, enrolled over HTTP with a one-time code and syncing through
/// <see cref="SyncService"/> exactly as <c>backflow-agent sync</c> does. Only the schedule is the demo's: a short
/// interval instead of Quartz, whose scheduler registry is process-wide and would make several agents collide.
/// </summary>
internal sealed class DemoAgent : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private DemoAgent(string name, string agentId, string stateDirectory, ServiceProvider services)
    {
        Name = name;
        AgentId = agentId;
        StateDirectory = stateDirectory;
        _services = services;
    }

    public string Name { get; }

    public string AgentId { get; }

    public string StateDirectory { get; }

    public string DatabaseFile => Path.Combine(StateDirectory, SqliteLoadTarget.DefaultFileName);

    /// <summary>A paused agent skips its scheduled syncs (as if its machine were off); <see cref="SyncAsync"/> still works.</summary>
    public bool Paused { get; set; }

    public static async Task<DemoAgent> EnrollAsync(string name, string stateDirectory, Uri server, string code, ILoggerFactory logs, CancellationToken ct)
    {
        var options = new AgentOptions
        {
            StateDirectory = Path.GetFullPath(stateDirectory),
            // Loopback: a system proxy from the environment must not intercept the demo's own server.
            Proxy = "direct",
            RetryDelay = TimeSpan.FromMilliseconds(200),
            RetryAttempts = 2,
        };
        AgentOptionsValidator.Validate(options);
        var services = new ServiceCollection()
            .AddSingleton(logs)
            .AddLogging()
            .AddBackflowAgent(options)
            .BuildServiceProvider();
        try
        {
            var (identity, _) = await services.GetRequiredService<EnrollmentService>().EnrollAsync(server, code, ct);
            return new DemoAgent(name, identity.AgentId, options.StateDirectory, services);
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    public async Task<DemoSyncResult> SyncAsync(CancellationToken ct)
    {
        var report = await _services.GetRequiredService<SyncService>().SyncAsync(dataset: null, retryBlocked: false, ct);
        var errors = report.Feeds.Where(f => f.Error is not null).Select(f => $"{f.Dataset}/{f.Region}: {f.Error}").ToList();
        if (report.Error is not null)
        {
            errors.Insert(0, report.Error);
        }

        return new DemoSyncResult(
            report.Feeds.Count,
            report.Feeds.Count(f => f.Outcome == FeedOutcome.Current),
            report.Feeds.Sum(f => f.ToSequence - f.FromSequence),
            report.Feeds.Sum(f => f.Rows),
            errors);
    }

    /// <summary>Syncs now and then every <paramref name="interval"/> until cancelled, skipping while paused.</summary>
    public async Task RunAsync(TimeSpan interval, TimeProvider time, Action<DemoAgent, DemoSyncResult> onSync, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            if (!Paused)
            {
                onSync(this, await SyncAsync(ct));
            }
        }
        while (await timer.WaitForNextTickAsync(ct));
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        // Pooled connections keep the SQLite file open; the demo folder must be removable after a run.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
