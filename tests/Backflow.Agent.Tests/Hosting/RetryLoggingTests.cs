using System.Collections.Concurrent;
using Backflow.Agent.Enrollment;
using Backflow.Agent.Feeds;
using Backflow.Agent.Hosting;
using Backflow.Agent.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Backflow.Agent.Tests.Hosting;

/// <summary>The service log keeps retries as warnings, one message each, without a stack trace per attempt.</summary>
public sealed class RetryLoggingTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("backflow-retry-log-test-").FullName;

    [Fact]
    public async Task Service_retries_are_warnings_without_exceptions_and_the_failure_names_the_address()
    {
        var sink = new Sink();
        var builder = AgentHost.CreateBuilder(
            _state,
            service: true,
            services => services.AddSingleton<ILoggerProvider>(sink),
            configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Backflow:RetryAttempts"] = "2", ["Backflow:RetryDelay"] = "00:00:00.010", ["Backflow:Proxy"] = "direct",
            }));
        using var host = builder.Build();
        var port = LoopbackPorts.Free();

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() =>
            host.Services.GetRequiredService<FeedClient>().EnrollAsync(new Uri($"http://127.0.0.1:{port}/"), "AAAA", CancellationToken.None));

        Assert.Equal($"cannot reach http://127.0.0.1:{port} (connection refused). {NetworkFailures.Advice}", NetworkFailures.Describe(failure));
        var retries = sink.Entries.Where(e => e.Category.StartsWith("Polly", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(retries);
        Assert.All(retries, e => Assert.Null(e.Exception));
        Assert.Contains(retries, e => e.Level == LogLevel.Warning && e.Message.Contains("Connection refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_scheduled_sync_that_cannot_reach_the_server_logs_one_warning_naming_the_address()
    {
        var port = LoopbackPorts.Free();
        var state = new StateFolder(_state);
        state.WriteIdentity(new AgentIdentity(new Uri($"http://127.0.0.1:{port}/"), "agent-1", "330106", "bfa_token", DateTimeOffset.UnixEpoch));
        using var key = Backflow.Protocol.Manifests.SigningKey.Generate();
        state.WriteTrustedKeys([key.PublicKey]);
        var sink = new Sink();
        var builder = AgentHost.CreateBuilder(
            _state,
            service: true,
            services =>
            {
                services.AddSingleton<ILoggerProvider>(sink);
                services.AddQuartz();
                services.AddHostedService<ScheduleRegistration>();
                services.AddQuartzHostedService();
            },
            configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Backflow:RetryAttempts"] = "1", ["Backflow:RetryDelay"] = "00:00:00.010", ["Backflow:Proxy"] = "direct",
                ["Backflow:ConnectionString"] = $"Data Source={Path.Combine(_state, "backflow.db")}",
                ["Backflow:Schedules:market-entities"] = "0 0 3 * * ?",
            }));
        using var host = builder.Build();

        await host.StartAsync();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!sink.Entries.Any(e => e.Category.EndsWith(nameof(SyncJob), StringComparison.Ordinal)) && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        await host.StopAsync();

        var job = Assert.Single(sink.Entries, e => e.Category.EndsWith(nameof(SyncJob), StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, job.Level);
        Assert.Equal($"Sync of market-entities: could not list this agent's feeds: cannot reach http://127.0.0.1:{port} (connection refused). {NetworkFailures.Advice}", job.Message);
        Assert.Null(job.Exception);
        Assert.DoesNotContain(sink.Entries, e => e.Category.EndsWith("SyncService", StringComparison.Ordinal) && e.Message.Contains("market-entities", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class Sink : ILoggerProvider
    {
        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception));
        }
    }
}
