using Backflow.Server.Security;

namespace Backflow.Server.Status;

/// <summary><c>GET /api/v1/status[?lagging=true]</c> (operator token): per agent and feed, plus fleet totals.</summary>
internal static class StatusApi
{
    public static RouteGroupBuilder MapStatusApi(this RouteGroupBuilder api)
    {
        api.MapGet("/status", (bool? lagging, StatusService status) => TypedResults.Ok(StatusFilter.Apply(status.Compute(), lagging ?? false)))
            .RequireCaller<OperatorCaller, RouteHandlerBuilder>();
        return api;
    }
}
