namespace Backflow.Server.Status;

/// <summary>Narrows a fleet status to what needs attention; totals stay whole-fleet so the context is not lost.</summary>
internal static class StatusFilter
{
    public static FleetStatus Apply(FleetStatus status, bool laggingOnly)
    {
        if (!laggingOnly)
        {
            return status;
        }

        var feeds = status.Feeds.Where(f => FeedStates.IsLagging(f.State)).ToList();
        var agents = status.Agents.Where(a => a.Lagging > 0 || a.State != FeedStates.Current).ToList();
        return status with { Feeds = feeds, Agents = agents };
    }
}
