namespace Backflow.Server.Status;

/// <summary>The state of one agent's feed, as shown on the dashboard and in <c>status</c>. Stable strings: scripts filter on them.</summary>
internal static class FeedStates
{
    public const string Current = "current";
    public const string Behind = "behind";
    public const string Late = "late";
    public const string Blocked = "blocked";
    public const string NeverSynced = "never-synced";

    /// <summary>Worst first: a dashboard cell covering several feeds shows the worst of them.</summary>
    public static readonly IReadOnlyList<string> BySeverity = [Blocked, Late, NeverSynced, Behind, Current];

    public static int Severity(string state) => BySeverity.Count - IndexOf(state);

    public static bool IsLagging(string state) => state != Current;

    private static int IndexOf(string state)
    {
        for (var i = 0; i < BySeverity.Count; i++)
        {
            if (BySeverity[i] == state)
            {
                return i;
            }
        }

        return BySeverity.Count;
    }
}
