using Backflow.Agent.Downloads;
using Backflow.Agent.Enrollment;
using Backflow.Agent.Feeds;
using Backflow.Agent.Loading;
using Backflow.Agent.Sync;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;

namespace Backflow.Agent.Hosting;

/// <summary>Wires the agent so that Program.cs (and tests) stay short.</summary>
internal static class AgentServiceCollectionExtensions
{
    public static IServiceCollection AddBackflowAgent(this IServiceCollection services, AgentOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new StateFolder(options.StateDirectory));
        services.AddSingleton<ServerEndpoint>();

        services.AddHttpClient<FeedClient>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => AgentHttpHandler.Create(options))
            .AddHttpMessageHandler(() => new NetworkFailures.Tagger())
            .AddStandardResilienceHandler(resilience => Configure(resilience, options));
        services.AddHttpClient<StorageClient>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => AgentHttpHandler.Create(options))
            .AddHttpMessageHandler(() => new NetworkFailures.Tagger())
            .AddStandardResilienceHandler(resilience => Configure(resilience, options));
        services.AddSingleton<DirectLinks>();

        // Retries stay in the log (as warnings, see AgentHost), but as one message each, without a stack trace.
        services.AddOptions<Polly.Telemetry.TelemetryOptions>()
            .PostConfigure<ILoggerFactory>((telemetry, logging) => telemetry.LoggerFactory = new ShortExceptionLoggerFactory(logging));

        // Transient because they hold the typed HttpClient, whose handler the factory rotates.
        services.AddTransient<CatalogCache>();
        services.AddTransient<ExtractSource>();
        services.AddTransient<ExtractDownloader>();
        services.AddTransient<Quarantine>();
        services.AddTransient<FeedSynchronizer>();
        services.AddTransient<SyncService>();
        services.AddTransient<StatusReader>();
        services.AddTransient<Reconciliation.VerifyService>();
        services.AddTransient<EnrollmentService>();

        services.TryAddSingleton<ILoadTarget>(sp => LoadTargets.Create(options, sp));
        return services;
    }

    private static void Configure(HttpStandardResilienceOptions resilience, AgentOptions options)
    {
        // Defaults retry 5xx, 408, 429, timeouts and connection failures with exponential backoff and jitter.
        resilience.Retry.MaxRetryAttempts = options.RetryAttempts;
        resilience.Retry.Delay = options.RetryDelay;

        // Headers of a big extract can be slow behind a proxy; the body is read outside these timeouts.
        resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(60);
        resilience.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(10);
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(2);
    }
}
