using Backflow.Agent.Enrollment;
using Backflow.Agent.Hosting;
using Backflow.Agent.Loading;
using Backflow.Agent.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Backflow.Agent.Tests.Support;

/// <summary>A test feed server plus an enrolled agent wired exactly as the CLI wires it, over an in-memory target.</summary>
internal sealed class AgentFixture : IAsyncDisposable
{
    private AgentFixture(TestFeedServer server, ServiceProvider services, string state)
    {
        Server = server;
        Services = services;
        StateDirectory = state;
    }

    public TestFeedServer Server { get; }

    public ServiceProvider Services { get; }

    public string StateDirectory { get; }

    public InMemoryLoadTarget Target => (InMemoryLoadTarget)Services.GetRequiredService<ILoadTarget>();

    public ILoadTarget AnyTarget => Services.GetRequiredService<ILoadTarget>();

    public FakeTimeProvider Time => (FakeTimeProvider)Services.GetRequiredService<TimeProvider>();

    public string Quarantine => Path.Combine(StateDirectory, "quarantine");

    public static async Task<AgentFixture> StartAsync(string regions = "330106", bool sqlite = false, Action<AgentOptions>? configure = null)
    {
        var server = await TestFeedServer.StartAsync(regions);
        var state = Directory.CreateTempSubdirectory("backflow-agent-test-").FullName;
        var options = new AgentOptions { StateDirectory = state, Proxy = "direct", RetryDelay = TimeSpan.FromMilliseconds(1), RetryAttempts = 1 };
        configure?.Invoke(options);
        var collection = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 6, 40, 0, TimeSpan.Zero)))
            .AddBackflowAgent(options);
        if (!sqlite)
        {
            collection.AddSingleton<ILoadTarget, InMemoryLoadTarget>();
        }

        var services = collection.BuildServiceProvider();
        await services.GetRequiredService<EnrollmentService>().EnrollAsync(server.Url, TestFeedServer.EnrollmentCode, CancellationToken.None);
        return new AgentFixture(server, services, state);
    }

    public Task<SyncReport> SyncAsync(bool retryBlocked = false) =>
        Services.GetRequiredService<SyncService>().SyncAsync(null, retryBlocked, CancellationToken.None);

    public FeedSyncResult Only(SyncReport report) => Assert.Single(report.Feeds);

    public string[] QuarantineNotes() =>
        Directory.Exists(Quarantine) ? [.. Directory.GetFiles(Quarantine, "*.reason.txt").Select(File.ReadAllText)] : [];

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Server.DisposeAsync();

        // SQLite pools connections; release the database file before deleting the folder.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(StateDirectory, recursive: true);
    }
}
