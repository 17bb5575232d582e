using System.Globalization;
using Backflow.Protocol.Catalog;

namespace Backflow.Server.Publishing.Input;

/// <summary>
/// Parses one CSV field into the value representation of its column (see <see cref="Backflow.Protocol.Rows.RowValues"/>).
/// Strict and culture-invariant: a changeset is evidence, so "1,5" must be an error, never 15 or 1.5 by guess.
/// </summary>
internal static class TextValueParser
{
    /// <summary>Parses <paramref name="text"/>; returns false with the broken rule in <paramref name="error"/>. Only a
    /// string column's value becomes a string: the others are parsed from the characters as they are.</summary>
    public static bool TryParse(LogicalType type, ReadOnlySpan<char> text, out object? value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(type);
        value = null;
        error = type.Kind switch
        {
            LogicalKind.String => Ok(text.ToString(), out value),
            LogicalKind.Int32 => ParseInt32(text, out value),
            LogicalKind.Int64 => ParseInt64(text, out value),
            LogicalKind.Decimal => ParseDecimal(type, text, out value),
            LogicalKind.Double => ParseDouble(text, out value),
            LogicalKind.Boolean => ParseBoolean(text, out value),
            LogicalKind.Date => ParseDate(text, out value),
            LogicalKind.Timestamp => TimestampText.Parse(text, out value),
            LogicalKind.Binary => ParseBinary(text, out value),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown logical type"),
        };
        return error is null;
    }

    private static string? Ok(object parsed, out object? value)
    {
        value = parsed;
        return null;
    }

    private static bool IsPlainInteger(ReadOnlySpan<char> text)
    {
        var digits = text.StartsWith('-') ? text[1..] : text;
        return !digits.IsEmpty && !digits.ContainsAnyExceptInRange('0', '9');
    }

    private static string? ParseInt32(ReadOnlySpan<char> text, out object? value)
    {
        value = null;
        if (!IsPlainInteger(text))
        {
            return "not an int32; write a whole number with digits only and an optional leading '-', e.g. 42";
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? Ok(n, out value)
            : "out of range for int32 (-2147483648 to 2147483647); declare the column int64 if it needs more";
    }

    private static string? ParseInt64(ReadOnlySpan<char> text, out object? value)
    {
        value = null;
        if (!IsPlainInteger(text))
        {
            return "not an int64; write a whole number with digits only and an optional leading '-', e.g. 42";
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? Ok(n, out value)
            : "out of range for int64 (-9223372036854775808 to 9223372036854775807)";
    }

    private static string? ParseDecimal(LogicalType type, ReadOnlySpan<char> text, out object? value)
    {
        value = null;
        var body = text.StartsWith('-') ? text[1..] : text;
        var point = body.IndexOf('.');
        var integer = point < 0 ? body : body[..point];
        var fraction = point < 0 ? [] : body[(point + 1)..];
        if (integer.IsEmpty || integer.ContainsAnyExceptInRange('0', '9') || (point >= 0 && (fraction.IsEmpty || fraction.ContainsAnyExceptInRange('0', '9'))))
        {
            return $"not a {type}; write digits with '.' as the decimal point, e.g. 12345.67 (no thousands separators, no exponent)";
        }

        // Counted on the text because decimal.Parse silently rounds digits beyond 28 significant ones.
        var integerDigits = integer.TrimStart('0').Length;
        var fractionDigits = fraction.TrimEnd('0').Length;
        if (integerDigits > type.Precision - type.Scale || fractionDigits > type.Scale)
        {
            return $"does not fit {type}: at most {type.Precision - type.Scale} digits before and {type.Scale} after the point";
        }

        return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
            ? Ok(d, out value)
            : $"not a {type}; write digits with '.' as the decimal point, e.g. 12345.67";
    }

    private static string? ParseDouble(ReadOnlySpan<char> text, out object? value)
    {
        value = null;
        const NumberStyles styles = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        return double.TryParse(text, styles, CultureInfo.InvariantCulture, out var d)
            ? Ok(d, out value)
            : "not a double; write a number with '.' as the decimal point and an optional exponent, e.g. -1.5e3, or NaN, Infinity, -Infinity";
    }

    private static string? ParseBoolean(ReadOnlySpan<char> text, out object? value)
    {
        value = null;
        if (text is "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return Ok(true, out value);
        }

        if (text is "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return Ok(false, out value);
        }

        return "not a boolean; write true, false, 1 or 0";
    }

    private static string? ParseDate(ReadOnlySpan<char> text, out object? value)
    {
        value = null;
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? Ok(d, out value)
            : "not a date; write yyyy-MM-dd, e.g. 2025-03-31";
    }

    private static string? ParseBinary(ReadOnlySpan<char> text, out object? value)
    {
        value = null;
        var bytes = new byte[(text.Length / 4 * 3) + 3];
        return Convert.TryFromBase64Chars(text, bytes, out var written)
            ? Ok(bytes[..written], out value)
            : "not binary; write the bytes as standard base64, e.g. AQID";
    }
}
