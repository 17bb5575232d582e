using System.Globalization;

namespace Backflow.Server.Status;

/// <summary>Short, readable durations for tables ("2d 3h", "45m", "12s"): operators compare magnitudes, not seconds.</summary>
internal static class DurationText
{
    public static string Of(TimeSpan span)
    {
        if (span <= TimeSpan.Zero)
        {
            return "0s";
        }

        var c = CultureInfo.InvariantCulture;
        return span.TotalDays >= 1 ? string.Create(c, $"{(int)span.TotalDays}d {span.Hours}h")
            : span.TotalHours >= 1 ? string.Create(c, $"{(int)span.TotalHours}h {span.Minutes}m")
            : span.TotalMinutes >= 1 ? string.Create(c, $"{(int)span.TotalMinutes}m")
            : string.Create(c, $"{(int)span.TotalSeconds}s");
    }

    public static string OfSeconds(double seconds) => Of(TimeSpan.FromSeconds(seconds));
}
