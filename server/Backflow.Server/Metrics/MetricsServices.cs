using Prometheus;

namespace Backflow.Server.Metrics;

/// <summary>Wiring of /metrics (Prometheus text), request-duration metrics and /readyz.</summary>
internal static class MetricsServices
{
    public static IServiceCollection AddBackflowMetrics(this IServiceCollection services)
    {
        services.AddSingleton<BackflowMetrics>();
        services.AddHealthChecks().AddCheck<MetadataReadiness>("metadata");
        return services;
    }

    /// <summary>Call before the endpoints are mapped, so request durations cover every API route.</summary>
    public static WebApplication UseBackflowRequestMetrics(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<BackflowMetrics>();
        app.UseRouting();
        app.UseHttpMetrics(o => o.SetMetricFactory(metrics.Factory));
        return app;
    }

    public static WebApplication MapBackflowMetrics(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<BackflowMetrics>();
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapHealthChecks("/readyz");
        return app;
    }
}
