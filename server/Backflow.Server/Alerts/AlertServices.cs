using Backflow.Server.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Backflow.Server.Alerts;

/// <summary>Wiring of the alert rules, their scheduled evaluation and the webhook with retries.</summary>
internal static class AlertServices
{
    public static IServiceCollection AddBackflowAlerts(this IServiceCollection services)
    {
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section)
            .Validate(o => o.Interval > TimeSpan.Zero && o.AgentSilentAfter > TimeSpan.Zero && o.WebhookRetries >= 0,
                $"{AlertOptions.Section}: Interval and AgentSilentAfter must be positive, WebhookRetries 0 or more")
            .Validate(o => o.WebhookUrl is null || o.WebhookUrl.IsAbsoluteUri, $"{AlertOptions.Section}:WebhookUrl must be an absolute http(s) URL")
            .ValidateOnStart();
        services.AddSingleton<AlertStateStore>();
        services.AddSingleton<AlertBoard>();
        services.AddSingleton<IJobSchedule, AlertJob.Schedule>();
        services.AddHttpClient<AlertWebhook>()
            .AddResilienceHandler("alert-webhook", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<AlertOptions>>().Value;
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(1, options.WebhookRetries),
                    Delay = options.WebhookRetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldHandle = args => ValueTask.FromResult(options.WebhookRetries > 0 && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(10));
            });
        return services;
    }
}
