using System.Globalization;
using System.Text.RegularExpressions;

namespace Backflow.Protocol.Catalog;

/// <summary>
/// A column's logical type as written in a catalog file: <c>string</c>, <c>int32</c>, <c>int64</c>,
/// <c>decimal(p,s)</c>, <c>double</c>, <c>boolean</c>, <c>date</c>, <c>timestamp</c> or <c>binary</c>.
/// </summary>
/// <param name="Kind">The kind of value.</param>
/// <param name="Precision">Total significant digits of a decimal (1..28); 0 for other kinds.</param>
/// <param name="Scale">Digits after the decimal point of a decimal (0..precision); 0 for other kinds.</param>
public sealed partial record LogicalType(LogicalKind Kind, int Precision = 0, int Scale = 0)
{
    /// <summary>
    /// The largest decimal precision accepted. Values are held as <see cref="decimal"/>, which carries
    /// 28 significant digits exactly; a wider column would silently round, so it is refused instead.
    /// </summary>
    public const int MaxDecimalPrecision = 28;

    /// <summary>The text form used in catalog files and in the canonical schema text.</summary>
    public override string ToString() => Kind switch
    {
        LogicalKind.Decimal => string.Create(CultureInfo.InvariantCulture, $"decimal({Precision},{Scale})"),
        _ => Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Parses a catalog type. Returns false with a reason a publisher can act on when the text is not a type.
    /// </summary>
    public static bool TryParse(string? text, out LogicalType? type, out string? error)
    {
        type = null;
        error = null;
        var trimmed = text?.Trim() ?? string.Empty;
        switch (trimmed)
        {
            case "string": type = new(LogicalKind.String); return true;
            case "int32": type = new(LogicalKind.Int32); return true;
            case "int64": type = new(LogicalKind.Int64); return true;
            case "double": type = new(LogicalKind.Double); return true;
            case "boolean": type = new(LogicalKind.Boolean); return true;
            case "date": type = new(LogicalKind.Date); return true;
            case "timestamp": type = new(LogicalKind.Timestamp); return true;
            case "binary": type = new(LogicalKind.Binary); return true;
        }

        var match = DecimalPattern().Match(trimmed);
        if (!match.Success)
        {
            error = $"unknown type '{text}'; use one of string, int32, int64, decimal(p,s), double, boolean, date, timestamp, binary";
            return false;
        }

        if (!int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var precision)
            || !int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var scale))
        {
            error = $"decimal precision and scale in '{text}' are too large";
            return false;
        }

        if (precision < 1 || precision > MaxDecimalPrecision)
        {
            error = $"decimal precision {precision} in '{text}' is out of range; use 1 to {MaxDecimalPrecision}";
            return false;
        }

        if (scale > precision)
        {
            error = $"decimal scale {scale} in '{text}' is larger than its precision {precision}";
            return false;
        }

        type = new(LogicalKind.Decimal, precision, scale);
        return true;
    }

    [GeneratedRegex(@"^decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)$")]
    private static partial Regex DecimalPattern();
}
