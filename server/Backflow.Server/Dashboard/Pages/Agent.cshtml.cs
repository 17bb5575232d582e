using Backflow.Server.Agents;
using Backflow.Server.Metadata;
using Backflow.Server.Status;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Backflow.Server.Dashboard.Pages;

/// <summary>One agent: its feeds, its recent runs and its downloads and direct download links from the audit.</summary>
internal sealed class AgentModel(AgentRegistry agents, StatusService status, MetadataDatabase database) : PageModel
{
    public AgentRecord Agent { get; private set; } = null!;

    public IReadOnlyList<FeedStatus> Feeds { get; private set; } = [];

    public IReadOnlyList<RunRecord> Runs { get; private set; } = [];

    public IReadOnlyList<ExtractAccess> Downloads { get; private set; } = [];

    /// <summary>No such agent: the page shows the dashboard's not-found text instead.</summary>
    public bool Missing { get; private set; }

    public IActionResult OnGet(string id)
    {
        var agent = agents.List().FirstOrDefault(a => a.AgentId == id);
        if (agent is null)
        {
            // The dashboard's own not-found page (status 404), not the API's JSON problem.
            Missing = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        Agent = agent;
        Feeds = status.Compute().Feeds.Where(f => f.AgentId == id).ToList();
        Runs = DashboardQueries.RecentRuns(database, id);
        Downloads = DashboardQueries.ExtractAccesses(database, id);
        return Page();
    }
}
