using Backflow.Server.Audit;
using Backflow.Server.Problems;
using Backflow.Server.Security;

namespace Backflow.Server.Api;

/// <summary>
/// The one place that decides whether an agent may read a (dataset, region): the path must hold a valid id
/// and code, the dataset must be granted and the region inside the agent's scope. Refusals are audited.
/// </summary>
internal static class FeedAccess
{
    public static async Task<IResult?> CheckAsync(HttpContext http, AgentCaller caller, string dataset, string region)
    {
        if (PathValidation.DatasetError(dataset) is { } datasetError)
        {
            return Problem.InvalidPath(datasetError);
        }

        if (PathValidation.RegionError(region, out var code) is { } regionError)
        {
            return Problem.InvalidPath(regionError);
        }

        if (caller.MayRead(dataset, code))
        {
            return null;
        }

        var why = caller.Datasets.Contains(dataset)
            ? $"region {region} is outside this agent's scope ({caller.Scope})"
            : $"dataset '{dataset}' is not granted to this agent";
        await http.RequestServices.GetRequiredService<AuditLog>().AppendAsync(AuditKinds.AccessDenied, caller.Actor, caller.Id, dataset, region, detail: why);
        return Problem.Forbidden(why);
    }
}
