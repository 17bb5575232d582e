using Backflow.Server.Alerts;
using Backflow.Server.Feeds;
using Backflow.Server.Status;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Backflow.Server.Dashboard.Pages;

/// <summary>The fleet at a glance: regions × datasets, each cell the worst state of the feeds in it.</summary>
internal sealed class IndexModel(StatusService status, AlertBoard alerts) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Prefecture { get; set; }

    public FleetStatus Status { get; private set; } = null!;

    public IReadOnlyList<string> Prefectures { get; private set; } = [];

    public IReadOnlyList<string> Regions { get; private set; } = [];

    public IReadOnlyList<(string Id, string Title)> Datasets { get; private set; } = [];

    public IReadOnlyList<Alert> Alerts { get; private set; } = [];

    public void OnGet()
    {
        Status = status.Compute();
        Alerts = alerts.Active;
        Prefectures = Status.Feeds.Select(f => StoredRegions.PrefectureOf(f.Region)).Distinct().Order(StringComparer.Ordinal).ToList();
        var feeds = Visible(Status.Feeds).ToList();
        Regions = feeds.Select(f => f.Region).Distinct().Order(StringComparer.Ordinal).ToList();
        Datasets = feeds.Select(f => (f.Dataset, f.DatasetTitle)).Distinct().OrderBy(d => d.Dataset, StringComparer.Ordinal).ToList();
    }

    public IEnumerable<FeedStatus> Visible(IEnumerable<FeedStatus> feeds) =>
        string.IsNullOrEmpty(Prefecture) ? feeds : feeds.Where(f => StoredRegions.PrefectureOf(f.Region) == Prefecture);

    public IReadOnlyList<FeedStatus> Cell(string region, string dataset) =>
        Status.Feeds.Where(f => f.Region == region && f.Dataset == dataset).ToList();

    public static string Worst(IEnumerable<FeedStatus> feeds) =>
        feeds.Select(f => f.State).DefaultIfEmpty(string.Empty).MaxBy(FeedStates.Severity)!;
}
