namespace Backflow.Server.Retention;

/// <summary>How long extracts are kept, section <c>Backflow:Retention</c>.</summary>
internal sealed class RetentionOptions
{
    public const string Section = "Backflow:Retention";

    /// <summary>Extracts published within this window are never removed, so an agent that was offline for less than
    /// it catches up with deltas alone.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Quartz cron of the retention run (default daily at 03:40).</summary>
    public string Cron { get; set; } = "0 40 3 * * ?";
}
