using System.Globalization;
using Backflow.Protocol.Catalog;

namespace Backflow.Protocol.Rows;

/// <summary>
/// The one CLR representation of each logical type inside a row (<c>object?[]</c> in catalog column order),
/// and the checks that a value really is what its column declares. Everything that produces rows (CSV and
/// Parquet readers, the extract reader, database loaders) must produce exactly these representations.
/// </summary>
/// <remarks>
/// string → <see cref="string"/>; int32 → <see cref="int"/>; int64 → <see cref="long"/>;
/// decimal(p,s) → <see cref="decimal"/> with at most s fractional digits and p−s integer digits;
/// double → <see cref="double"/>; boolean → <see cref="bool"/>; date → <see cref="DateOnly"/>;
/// timestamp → <see cref="DateTime"/> of kind UTC in whole microseconds; binary → <see cref="T:byte[]"/>;
/// null → <see langword="null"/>.
/// </remarks>
public static class RowValues
{
    /// <summary>Ticks per microsecond: timestamps must be whole multiples of it.</summary>
    public const long TicksPerMicrosecond = 10;

    // 10⁰ … 10²⁷, computed once: every decimal value of a publish is checked against one of them, and the loop of
    // decimal multiplications that made them each time showed in the publish profile.
    // 10^0 to 10^28: the widest column, decimal(28,0), takes values below 10^28, and a decimal reaches 7.9 × 10^28.
    private static readonly decimal[] PowersOfTen = [.. Enumerable.Range(0, LogicalType.MaxDecimalPrecision + 1).Select(e => Enumerable.Repeat(10m, e).Aggregate(1m, (p, ten) => p * ten))];

    /// <summary>The CLR type that represents values of <paramref name="type"/>.</summary>
    public static Type ClrType(LogicalType type) => type.Kind switch
    {
        LogicalKind.String => typeof(string),
        LogicalKind.Int32 => typeof(int),
        LogicalKind.Int64 => typeof(long),
        LogicalKind.Decimal => typeof(decimal),
        LogicalKind.Double => typeof(double),
        LogicalKind.Boolean => typeof(bool),
        LogicalKind.Date => typeof(DateOnly),
        LogicalKind.Timestamp => typeof(DateTime),
        LogicalKind.Binary => typeof(byte[]),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown logical type"),
    };

    /// <summary>
    /// Checks that <paramref name="value"/> is a valid value of <paramref name="column"/>.
    /// Returns null when it is, otherwise the rule it breaks, in words fit for an error message.
    /// </summary>
    public static string? Check(ColumnDefinition column, object? value)
    {
        if (value is null)
        {
            return column.Nullable ? null : "null is not allowed in this column (nullable: false)";
        }

        var expected = ClrType(column.Type);
        if (value.GetType() != expected)
        {
            return $"expected a {column.Type} value but got {value.GetType().Name}";
        }

        return value switch
        {
            decimal d when !FitsDecimal(d, column.Type.Precision, column.Type.Scale) =>
                $"{d.ToString(CultureInfo.InvariantCulture)} does not fit {column.Type} (at most {column.Type.Precision - column.Type.Scale} digits before and {column.Type.Scale} after the point)",
            DateTime t when t.Kind != DateTimeKind.Utc => "timestamps must be UTC",
            DateTime t when t.Ticks % TicksPerMicrosecond != 0 => "timestamps carry at most microsecond precision",
            _ => null,
        };
    }

    /// <summary>True when <paramref name="value"/> has at most <paramref name="scale"/> fractional digits and
    /// <paramref name="precision"/> − <paramref name="scale"/> integer digits.</summary>
    public static bool FitsDecimal(decimal value, int precision, int scale)
    {
        // A value that carries no more digits after the point than the column keeps nothing to round away; only one that
        // carries more (3.1400 for two digits, say) needs the rounding test. Every value of every decimal column of a
        // publish is checked, twice.
        if (value.Scale > scale && decimal.Round(value, scale, MidpointRounding.ToZero) != value)
        {
            return false;
        }

        // |value| < 10^n exactly when its integer part is: 10^n is a whole number.
        var integerDigits = precision - scale;
        return integerDigits >= PowersOfTen.Length || Math.Abs(value) < PowersOfTen[Math.Max(integerDigits, 0)];
    }

    /// <summary>
    /// The canonical text of a decimal at the column's scale: optional '-', integer digits without leading zeros
    /// (a single 0 when the integer part is zero), then for scale &gt; 0 a '.' and exactly <paramref name="scale"/> digits.
    /// Zero is never negative. Never derive it from <see cref="decimal.ToString()"/>, which keeps the value's own scale.
    /// </summary>
    public static string FormatDecimal(decimal value, int scale)
    {
        var scaled = decimal.Round(value, scale, MidpointRounding.ToZero);
        if (scaled == 0m)
        {
            scaled = 0m; // drops the sign of -0.00
        }

        return scaled.ToString("F" + scale.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
