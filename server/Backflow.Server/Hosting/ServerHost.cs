using Backflow.Server.Alerts;
using Backflow.Server.Api;
using Backflow.Server.Dashboard;
using Backflow.Server.Metrics;

namespace Backflow.Server.Hosting;

/// <summary>Builds the HTTP host: the API on Kestrel, configured from appsettings.json, BACKFLOW__… variables and --urls.</summary>
internal static class ServerHost
{
    /// <param name="configureServices">Last-word service overrides: tests swap in a fake clock, the demo its own settings.</param>
    public static WebApplication Build(string[] args, string? dataOption, string? catalogOption, string? urls, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var paths = ServerLocations.Resolve(dataOption, catalogOption, builder.Configuration);
        if (urls is not null)
        {
            ListenAddresses.Validate(urls);
            builder.WebHost.UseUrls(urls);
        }
        else if (builder.Configuration["urls"] is null && builder.Configuration["Kestrel:Endpoints"] is null)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5080");
        }

        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.FrameworkProblems.Customize);
        // Binding failures throw (in production too), so that the problem can name the parameter and value.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<Problems.BadRequestProblems>();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Encoder = ServerJson.Options.Encoder;
            foreach (var converter in ServerJson.Options.Converters)
            {
                o.SerializerOptions.Converters.Add(converter);
            }
        });
        builder.Services.AddBackflowServer(paths, builder.Configuration);
        builder.Services.AddBackflowJobs();
        builder.Services.AddBackflowMetrics();
        builder.Services.AddBackflowAlerts();
        builder.Services.AddBackflowDashboard();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        // Fail at start-up, with every problem listed, rather than on the first request.
        _ = app.Services.GetRequiredService<Catalog.CatalogService>();
        _ = app.Services.GetRequiredService<Metadata.MetadataDatabase>();
        _ = app.Services.GetRequiredService<Keys.SigningKeyStore>().Current;
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseBackflowRequestMetrics();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapBackflowApi();
        app.MapBackflowMetrics();
        app.MapBackflowDashboard();
        return app;
    }
}
