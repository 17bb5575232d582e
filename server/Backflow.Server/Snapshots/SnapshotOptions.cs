namespace Backflow.Server.Snapshots;

/// <summary>When the scheduled job builds snapshots, section <c>Backflow:Snapshots</c>.</summary>
internal sealed class SnapshotOptions
{
    public const string Section = "Backflow:Snapshots";

    /// <summary>A region gets a new snapshot once this many deltas were published since its last one.</summary>
    public int MinDeltas { get; set; } = 50;

    /// <summary>… or once the deltas since its last one changed at least this fraction of its rows (0.2 = 20 %).</summary>
    public double MinChangedFraction { get; set; } = 0.2;

    /// <summary>Quartz cron of the check (default every 15 minutes).</summary>
    public string Cron { get; set; } = "0 */15 * * * ?";
}
