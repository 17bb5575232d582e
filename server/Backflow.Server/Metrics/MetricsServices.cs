using Backflow.Server.Security;
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

    /// <summary>
    /// Maps /metrics for operator tokens only (Prometheus: <c>authorization: { credentials_file: … }</c>): its labels
    /// name every agent, dataset and county and how far behind each is, which is not for anyone who can reach the port.
    /// /healthz and /readyz stay open for load balancers; they say nothing but "up".
    /// </summary>
    public static WebApplication MapBackflowMetrics(this WebApplication app)
    {
        app.MapGet("/metrics", ExportAsync)
            .RequireCaller<OperatorCaller, RouteHandlerBuilder>()
            .ExcludeFromDescription();
        app.MapHealthChecks("/readyz");
        return app;
    }

    private const string PrometheusText = "text/plain; version=0.0.4; charset=utf-8";

    private static async Task ExportAsync(HttpContext http, BackflowMetrics metrics)
    {
        http.Response.ContentType = PrometheusText;
        await metrics.Registry.CollectAndExportAsTextAsync(http.Response.Body, http.RequestAborted);
    }
}
