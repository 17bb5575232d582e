using System.Globalization;
using Quartz;

namespace Backflow.Agent.Scheduling;

/// <summary>
/// Applies the per-agent offset to a cron expression by rewriting its fields rather than delaying the start: a
/// start delay would shift only the first firing, while the rewritten cron keeps every firing apart.
/// The seconds field <c>0</c> becomes <c>offset % 60</c>; a minutes field <c>0/N</c> or <c>*/N</c> becomes
/// <c>(offset / 60 % N)/N</c>. Any other shape is an operator's deliberate choice and is left as written.
/// </summary>
internal static class CronOffset
{
    public static string Apply(string cron, int offsetSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offsetSeconds);
        if (!CronExpression.TryParse(cron, out _))
        {
            throw new FormatException($"'{cron}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week), e.g. \"0 0/10 * * * ?\"");
        }

        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields[0] == "0")
        {
            fields[0] = (offsetSeconds % 60).ToString(CultureInfo.InvariantCulture);
        }

        var slash = fields[1].IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && fields[1][..slash] is "0" or "*"
            && int.TryParse(fields[1][(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var step) && step is > 0 and <= 60)
        {
            var minute = offsetSeconds / 60 % step;
            fields[1] = string.Create(CultureInfo.InvariantCulture, $"{minute}/{step}");
        }

        return string.Join(' ', fields);
    }
}
