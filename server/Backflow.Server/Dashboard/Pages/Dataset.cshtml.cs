using Backflow.Protocol.Catalog;
using Backflow.Server.Catalog;
using Backflow.Server.Feeds;
using Backflow.Server.Metadata;
using Backflow.Server.Rebasing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Backflow.Server.Dashboard.Pages;

/// <summary>One dataset: its catalog entry, its regions and sequences, its re-bases and recent publishes.</summary>
internal sealed class DatasetModel(CatalogService catalog, MetadataDatabase database) : PageModel
{
    public DatasetDefinition Dataset { get; private set; } = null!;

    public IReadOnlyList<FeedState> Feeds { get; private set; } = [];

    public IReadOnlyList<(string Region, long Sequence, string Kind, long Upserts, long Deletes, long FileBytes, string PublishedAt)> Publishes { get; private set; } = [];

    public IReadOnlyList<RebaseRecord> Rebases { get; private set; } = [];

    /// <summary>No such dataset: the page shows the dashboard's not-found text instead.</summary>
    public bool Missing { get; private set; }

    public IActionResult OnGet(string id)
    {
        if (catalog.Find(id) is not { } dataset)
        {
            // The dashboard's own not-found page (status 404), not the API's JSON problem.
            Missing = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        Dataset = dataset;
        using (var connection = database.Open())
        {
            Feeds = FeedStore.ForDataset(connection, id);
            Rebases = RebaseHistory.Recent(connection, id, 50);
        }

        Publishes = DashboardQueries.RecentPublishes(database, id);
        return Page();
    }
}
