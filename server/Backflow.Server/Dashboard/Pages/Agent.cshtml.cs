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

    public IActionResult OnGet(string id)
    {
        var agent = agents.List().FirstOrDefault(a => a.AgentId == id);
        if (agent is null)
        {
            return NotFound();
        }

        Agent = agent;
        Feeds = status.Compute().Feeds.Where(f => f.AgentId == id).ToList();
        Runs = DashboardQueries.RecentRuns(database, id);
        Downloads = DashboardQueries.ExtractAccesses(database, id);
        return Page();
    }
}
