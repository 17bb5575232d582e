using Backflow.Server.Agents;
using Backflow.Server.Catalog;
using Backflow.Server.Hosting;

namespace Backflow.Server.Cli;

/// <summary>The filters of <c>audit</c> checked against what exists, for when they matched nothing: a mistyped agent
/// id must not read as "this agent never downloaded anything".</summary>
internal static class AuditFilters
{
    public static void EnsureKnown(CliContext cli, string? agentId, string? dataset)
    {
        if (agentId is not null)
        {
            // Get throws a UserError that names `agents list` when there is no such agent.
            cli.Get<AgentRegistry>().Get(agentId);
        }

        if (dataset is not null && cli.Get<CatalogService>().Find(dataset) is null)
        {
            var known = string.Join(", ", cli.Get<CatalogService>().All.Select(d => d.Id));
            throw new UserError($"--dataset: the catalog has no dataset '{dataset}' (it has: {known}); the audit holds no records of it either");
        }
    }
}
