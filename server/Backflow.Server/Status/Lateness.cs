using Backflow.Protocol.Catalog;

namespace Backflow.Server.Status;

/// <summary>
/// How long a feed may trail before it counts as late, judged against the dataset's promised update cycle: a
/// county one publish behind a daily dataset is normal for up to a day, a monthly dataset for up to a month.
/// </summary>
internal static class Lateness
{
    public static TimeSpan Allowance(UpdateCycle cycle) => cycle switch
    {
        UpdateCycle.Realtime => TimeSpan.FromHours(1),
        UpdateCycle.Daily => TimeSpan.FromDays(1),
        UpdateCycle.Weekly => TimeSpan.FromDays(7),
        UpdateCycle.Monthly => TimeSpan.FromDays(31),
        UpdateCycle.Quarterly => TimeSpan.FromDays(92),
        UpdateCycle.Yearly => TimeSpan.FromDays(366),
        // No promise to judge against: a week without applying what was published is late for any purpose.
        _ => TimeSpan.FromDays(7),
    };

    /// <summary>The state of a feed from what its agent last reported.</summary>
    public static string StateOf(bool blocked, long? applied, long latest, TimeSpan? lag, UpdateCycle cycle)
    {
        if (blocked)
        {
            return FeedStates.Blocked;
        }

        if (applied is null)
        {
            return FeedStates.NeverSynced;
        }

        if (applied >= latest)
        {
            return FeedStates.Current;
        }

        return lag > Allowance(cycle) ? FeedStates.Late : FeedStates.Behind;
    }
}
