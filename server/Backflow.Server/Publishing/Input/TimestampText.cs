using System.Globalization;
using System.Text.RegularExpressions;

namespace Backflow.Server.Publishing.Input;

/// <summary>Parses ISO 8601 timestamps into UTC <see cref="DateTime"/> values of whole microseconds.</summary>
internal static partial class TimestampText
{
    private const string Hint = "write ISO 8601, e.g. 2025-03-31T08:30:00Z, 2025-03-31T16:30:00.123456+08:00 or 2025-03-31T08:30:00 (read as UTC)";

    /// <summary>Returns null and the value, or the broken rule.</summary>
    public static string? Parse(string text, out object? value)
    {
        value = null;
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return "not a timestamp; " + Hint;
        }

        var fraction = match.Groups["f"].Value;
        if (fraction.Length > 6)
        {
            return "more than microsecond precision; timestamps keep at most 6 fractional digits";
        }

        DateTime local;
        try
        {
            local = new DateTime(
                Int(match, "y"), Int(match, "mo"), Int(match, "d"), Int(match, "h"), Int(match, "mi"), Int(match, "s"), DateTimeKind.Utc);
        }
        catch (ArgumentOutOfRangeException)
        {
            return "not a valid date and time (a field is out of range); " + Hint;
        }

        var ticks = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(7, '0'), CultureInfo.InvariantCulture);
        var offset = TimeSpan.Zero;
        if (match.Groups["oh"].Success)
        {
            var hours = Int(match, "oh");
            var minutes = Int(match, "om");
            if (hours > 14 || minutes > 59)
            {
                return "the UTC offset is out of range (-14:00 to +14:00); " + Hint;
            }

            offset = new TimeSpan(hours, minutes, 0);
            if (match.Groups["sign"].Value == "-")
            {
                offset = -offset;
            }
        }

        var utcTicks = local.Ticks + ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return "out of range once converted to UTC; " + Hint;
        }

        value = new DateTime(utcTicks, DateTimeKind.Utc);
        return null;
    }

    private static int Int(Match match, string group) => int.Parse(match.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<y>[0-9]{4})-(?<mo>[0-9]{2})-(?<d>[0-9]{2})[T ](?<h>[0-9]{2}):(?<mi>[0-9]{2}):(?<s>[0-9]{2})(?:\.(?<f>[0-9]+))?(?:[Zz]|(?<sign>[+-])(?<oh>[0-9]{2}):?(?<om>[0-9]{2}))?$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Pattern();
}
