using System.Globalization;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Rows;
using Microsoft.Data.Sqlite;

namespace Backflow.Agent.Loading.Sqlite;

/// <summary>
/// The one mapping between <see cref="RowValues"/> representations and SQLite storage. Every value must come back
/// exactly as it went in, because the region checksum is recomputed from the table to prove the copy is intact.
/// </summary>
/// <remarks>
/// string → TEXT; int32/int64 → INTEGER; decimal(p,s) → TEXT in canonical form at the catalog's scale (REAL would
/// round); double → REAL, except NaN → the TEXT <c>'NaN'</c> (SQLite has no NaN: it would store NULL, which is a
/// different value and breaks NOT NULL); boolean → INTEGER 0/1; date → TEXT <c>yyyy-MM-dd</c>; timestamp → TEXT
/// <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c> (fixed width, so text order is time order); binary → BLOB.
/// The declared column types name the logical type (e.g. <c>DECIMAL_TEXT(18,4)</c>) so that a changed type is
/// visible in the table definition, while SQLite's affinity rules still give each the storage class above.
/// </remarks>
internal static class SqliteValueMapper
{
    /// <summary>How a NaN double is stored: REAL affinity leaves this text alone because it is not a number literal.</summary>
    public const string NaNText = "NaN";

    private const string DateFormat = "yyyy'-'MM'-'dd";
    private const string TimestampFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";

    // Boxed once: binding a boolean would otherwise allocate a boxed long per row.
    private static readonly object True = 1L;
    private static readonly object False = 0L;
    private static readonly object NaN = NaNText;

    /// <summary>The declared SQL type of a column of <paramref name="type"/>.</summary>
    public static string DeclaredType(LogicalType type) => type.Kind switch
    {
        LogicalKind.String => "TEXT",
        LogicalKind.Int32 => "INT32",
        LogicalKind.Int64 => "INT64",
        LogicalKind.Decimal => string.Create(CultureInfo.InvariantCulture, $"DECIMAL_TEXT({type.Precision},{type.Scale})"),
        LogicalKind.Double => "DOUBLE",
        LogicalKind.Boolean => "BOOLEAN",
        LogicalKind.Date => "DATE_TEXT",
        LogicalKind.Timestamp => "TIMESTAMP_TEXT",
        LogicalKind.Binary => "BLOB",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown logical type"),
    };

    /// <summary>The value to bind for <paramref name="value"/> (<see cref="DBNull.Value"/> for null).</summary>
    /// <exception cref="ArgumentException">The value is not the column's CLR representation.</exception>
    public static object ToDb(ColumnDefinition column, object? value)
    {
        ArgumentNullException.ThrowIfNull(column);
        return value switch
        {
            null => DBNull.Value,
            string when column.Type.Kind == LogicalKind.String => value,
            int when column.Type.Kind == LogicalKind.Int32 => value,
            long when column.Type.Kind == LogicalKind.Int64 => value,
            decimal d when column.Type.Kind == LogicalKind.Decimal => RowValues.FormatDecimal(d, column.Type.Scale),
            double f when column.Type.Kind == LogicalKind.Double => double.IsNaN(f) ? NaN : value,
            bool b when column.Type.Kind == LogicalKind.Boolean => b ? True : False,
            DateOnly date when column.Type.Kind == LogicalKind.Date => FormatDate(date),
            DateTime t when column.Type.Kind == LogicalKind.Timestamp => FormatTimestamp(t),
            byte[] when column.Type.Kind == LogicalKind.Binary => value,
            _ => throw new ArgumentException($"column '{column.Name}' ({column.Type}) expects a {RowValues.ClrType(column.Type).Name} value but got {value.GetType().Name}", nameof(value)),
        };
    }

    /// <summary>Reads a stored value back into its <see cref="RowValues"/> representation.</summary>
    /// <exception cref="InvalidDataException">The stored value is not one this mapper writes for the column: the table
    /// was changed outside Backflow.</exception>
    public static object? FromDb(SqliteDataReader reader, int ordinal, ColumnDefinition column)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(column);
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        var stored = reader.GetFieldType(ordinal);
        try
        {
            return column.Type.Kind switch
            {
                LogicalKind.String when stored == typeof(string) => reader.GetString(ordinal),
                LogicalKind.Int32 when stored == typeof(long) => checked((int)reader.GetInt64(ordinal)),
                LogicalKind.Int64 when stored == typeof(long) => reader.GetInt64(ordinal),
                LogicalKind.Decimal when stored == typeof(string) => ParseDecimal(reader.GetString(ordinal), column),
                LogicalKind.Double when stored == typeof(double) => reader.GetDouble(ordinal),
                LogicalKind.Double when stored == typeof(string) && reader.GetString(ordinal) == NaNText => double.NaN,
                LogicalKind.Boolean when stored == typeof(long) => reader.GetInt64(ordinal) switch
                {
                    0 => false,
                    1 => true,
                    var other => throw Unreadable(column, other.ToString(CultureInfo.InvariantCulture)),
                },
                LogicalKind.Date when stored == typeof(string) => ParseDate(reader.GetString(ordinal)),
                LogicalKind.Timestamp when stored == typeof(string) => ParseTimestamp(reader.GetString(ordinal)),
                LogicalKind.Binary when stored == typeof(byte[]) => reader.GetFieldValue<byte[]>(ordinal),
                _ => throw Unreadable(column, $"a stored {stored.Name}"),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw Unreadable(column, $"'{reader.GetValue(ordinal)}'", e);
        }
    }

    public static string FormatDate(DateOnly value) => value.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, DateFormat, CultureInfo.InvariantCulture);

    /// <summary>Fixed six fractional digits: timestamps carry whole microseconds (finer ticks are refused upstream).</summary>
    public static string FormatTimestamp(DateTime value) => value.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static DateTime ParseTimestamp(string text) =>
        DateTime.ParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static decimal ParseDecimal(string text, ColumnDefinition column)
    {
        var value = decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

        // Only the canonical text is ever written; anything else was edited by hand and may not mean what it says.
        return RowValues.FormatDecimal(value, column.Type.Scale) == text ? value : throw new FormatException("not canonical");
    }

    private static InvalidDataException Unreadable(ColumnDefinition column, string what, Exception? inner = null) =>
        new($"column '{column.Name}' ({column.Type}) holds {what}, which Backflow never writes there; the table was changed outside Backflow — run `backflow-agent repair` to reload it from the snapshot", inner);
}
