namespace Backflow.Server.Publishing.Input;

/// <summary>Parses ISO 8601 timestamps into UTC <see cref="DateTime"/> values of whole microseconds.</summary>
/// <remarks>
/// The accepted form is <c>YYYY-MM-DD[T ]hh:mm:ss[.f…][Z|±hh[:]mm]</c> with ASCII digits. Read straight from the
/// characters rather than through a regular expression: a regex match with named groups allocated about 1.5 KB per value,
/// half of everything a million-row CSV publish allocated (README, Benchmarks), and the garbage collector's work grew with it.
/// </remarks>
internal static class TimestampText
{
    private const string Hint = "write ISO 8601, e.g. 2025-03-31T08:30:00Z, 2025-03-31T16:30:00.123456+08:00 or 2025-03-31T08:30:00 (read as UTC)";

    private const string NotATimestamp = "not a timestamp; " + Hint;

    /// <summary>Returns null and the value, or the broken rule.</summary>
    public static string? Parse(ReadOnlySpan<char> text, out object? value)
    {
        value = null;
        if (text.Length < 19
            || !Digits(text.Slice(0, 4), out var year) || text[4] != '-'
            || !Digits(text.Slice(5, 2), out var month) || text[7] != '-'
            || !Digits(text.Slice(8, 2), out var day) || text[10] is not ('T' or ' ')
            || !Digits(text.Slice(11, 2), out var hour) || text[13] != ':'
            || !Digits(text.Slice(14, 2), out var minute) || text[16] != ':'
            || !Digits(text.Slice(17, 2), out var second))
        {
            return NotATimestamp;
        }

        var rest = text[19..];
        var fraction = ReadOnlySpan<char>.Empty;
        if (!rest.IsEmpty && rest[0] == '.')
        {
            var end = rest[1..].IndexOfAnyExceptInRange('0', '9');
            fraction = end < 0 ? rest[1..] : rest.Slice(1, end);
            if (fraction.IsEmpty)
            {
                return NotATimestamp;
            }

            rest = rest[(1 + fraction.Length)..];
        }

        if (!TryReadOffset(rest, out var offsetSign, out var offsetHours, out var offsetMinutes))
        {
            return NotATimestamp;
        }

        if (fraction.Length > 6)
        {
            return "more than microsecond precision; timestamps keep at most 6 fractional digits";
        }

        DateTime local;
        try
        {
            local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        }
        catch (ArgumentOutOfRangeException)
        {
            return "not a valid date and time (a field is out of range); " + Hint;
        }

        if (offsetHours > 14 || offsetMinutes > 59)
        {
            return "the UTC offset is out of range (-14:00 to +14:00); " + Hint;
        }

        var utcTicks = local.Ticks + FractionTicks(fraction) - (offsetSign * ((offsetHours * 60L) + offsetMinutes) * TimeSpan.TicksPerMinute);
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return "out of range once converted to UTC; " + Hint;
        }

        value = new DateTime(utcTicks, DateTimeKind.Utc);
        return null;
    }

    /// <summary>Nothing, <c>Z</c>/<c>z</c>, or <c>±hh:mm</c> / <c>±hhmm</c>; the sign is 0 without an offset.</summary>
    private static bool TryReadOffset(ReadOnlySpan<char> text, out int sign, out int hours, out int minutes)
    {
        sign = 0;
        hours = 0;
        minutes = 0;
        if (text.IsEmpty || text is "Z" or "z")
        {
            return true;
        }

        if (text.Length is not (5 or 6) || text[0] is not ('+' or '-') || (text.Length == 6 && text[3] != ':'))
        {
            return false;
        }

        sign = text[0] == '-' ? -1 : 1;
        return Digits(text.Slice(1, 2), out hours) && Digits(text[^2..], out minutes);
    }

    /// <summary>Up to 6 fractional digits as ticks (100 ns): "5" is 5,000,000, "123456" is 1,234,560.</summary>
    private static long FractionTicks(ReadOnlySpan<char> fraction)
    {
        long ticks = 0;
        for (var i = 0; i < 7; i++)
        {
            ticks = (ticks * 10) + (i < fraction.Length ? fraction[i] - '0' : 0);
        }

        return ticks;
    }

    private static bool Digits(ReadOnlySpan<char> text, out int number)
    {
        number = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            number = (number * 10) + (c - '0');
        }

        return true;
    }
}
