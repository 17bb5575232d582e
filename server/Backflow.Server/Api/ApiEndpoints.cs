using Backflow.Server.Status;

namespace Backflow.Server.Api;

/// <summary>Maps every HTTP route of the server under <c>/api/v1</c>.</summary>
internal static class ApiEndpoints
{
    public static WebApplication MapBackflowApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapEnrollApi();
        api.MapFeedsApi();
        api.MapExtractsApi();
        api.MapCatalogApi();
        api.MapRunsApi();
        api.MapChangesetsApi();
        api.MapStatusApi();
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }));
        return app;
    }
}
