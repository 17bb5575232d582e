using System.Globalization;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Rows;
using Npgsql;
using NpgsqlTypes;

namespace Backflow.Agent.Loading.Postgres;

/// <summary>
/// The one mapping between <see cref="RowValues"/> representations and PostgreSQL columns. Every value must come back
/// exactly as it went in, because the region checksum is recomputed from the table to prove the copy is intact.
/// </summary>
/// <remarks>
/// string → text; int32 → integer; int64 → bigint; decimal(p,s) → numeric(p,s) (exact, and it pads to the catalog's
/// scale, which is what the canonical text uses anyway); double → double precision (PostgreSQL keeps NaN and the
/// infinities); boolean → boolean; date → date; binary → bytea.
/// timestamp → <c>timestamp with time zone</c>: the logical type is an instant in UTC, which is exactly what
/// timestamptz stores (microseconds, UTC internally), so a county user's <c>psql</c> shows the right wall time in
/// their zone instead of a zone-less value they must know to read as UTC. Npgsql only writes UTC-kind
/// <see cref="DateTime"/>s to it and reads them back with <see cref="DateTimeKind.Utc"/>, so Kind never drifts.
/// PostgreSQL text cannot hold U+0000, so a string with one is refused (never stripped or replaced): changing it
/// would change the row's checksum term and the copy would no longer be the server's.
/// </remarks>
internal static class PostgresValueMapper
{
    /// <summary>The column type as <c>format_type()</c> prints it, so it can be compared with the catalog.</summary>
    public static string DeclaredType(LogicalType type) => type.Kind switch
    {
        LogicalKind.String => "text",
        LogicalKind.Int32 => "integer",
        LogicalKind.Int64 => "bigint",
        LogicalKind.Decimal => string.Create(CultureInfo.InvariantCulture, $"numeric({type.Precision},{type.Scale})"),
        LogicalKind.Double => "double precision",
        LogicalKind.Boolean => "boolean",
        LogicalKind.Date => "date",
        LogicalKind.Timestamp => "timestamp with time zone",
        LogicalKind.Binary => "bytea",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown logical type"),
    };

    /// <summary>Writes one value of a binary COPY row.</summary>
    /// <exception cref="ArgumentException">The value cannot be stored (a NUL in text) or is not the column's CLR type.</exception>
    public static void Write(NpgsqlBinaryImporter importer, ColumnDefinition column, object? value)
    {
        var kind = column.Type.Kind;
        switch (value)
        {
            case null:
                importer.WriteNull();
                break;
            case string s when kind == LogicalKind.String:
                if (s.Contains('\0', StringComparison.Ordinal))
                {
                    throw new ArgumentException($"column '{column.Name}' holds a string with a NUL character (U+0000) at position {s.IndexOf('\0', StringComparison.Ordinal)}, which PostgreSQL text cannot store; Backflow never alters a value, so this extract cannot be loaded into PostgreSQL — ask the publisher to remove the character at the source, or load into SQLite");
                }

                importer.Write(s, NpgsqlDbType.Text);
                break;
            case int i when kind == LogicalKind.Int32:
                importer.Write(i, NpgsqlDbType.Integer);
                break;
            case long l when kind == LogicalKind.Int64:
                importer.Write(l, NpgsqlDbType.Bigint);
                break;
            case decimal d when kind == LogicalKind.Decimal:
                importer.Write(d, NpgsqlDbType.Numeric);
                break;
            case double f when kind == LogicalKind.Double:
                importer.Write(f, NpgsqlDbType.Double);
                break;
            case bool b when kind == LogicalKind.Boolean:
                importer.Write(b, NpgsqlDbType.Boolean);
                break;
            case DateOnly date when kind == LogicalKind.Date:
                importer.Write(date, NpgsqlDbType.Date);
                break;
            case DateTime t when kind == LogicalKind.Timestamp:
                // Extract readers return UTC; a value of another kind would be shifted by the machine's zone.
                importer.Write(t.Kind == DateTimeKind.Utc ? t : throw new ArgumentException($"column '{column.Name}' holds a {t.Kind} timestamp; timestamps are UTC"), NpgsqlDbType.TimestampTz);
                break;
            case byte[] bytes when kind == LogicalKind.Binary:
                importer.Write(bytes, NpgsqlDbType.Bytea);
                break;
            default:
                throw new ArgumentException($"column '{column.Name}' ({column.Type}) expects a {RowValues.ClrType(column.Type).Name} value but got {value.GetType().Name}", nameof(value));
        }
    }

    /// <summary>Reads a stored value back into its <see cref="RowValues"/> representation.</summary>
    /// <exception cref="InvalidDataException">The stored value does not fit the logical type: the table was changed outside Backflow.</exception>
    public static object? Read(NpgsqlDataReader reader, int ordinal, ColumnDefinition column)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        try
        {
            return column.Type.Kind switch
            {
                LogicalKind.String => reader.GetString(ordinal),
                LogicalKind.Int32 => reader.GetInt32(ordinal),
                LogicalKind.Int64 => reader.GetInt64(ordinal),
                LogicalKind.Decimal => reader.GetDecimal(ordinal),
                LogicalKind.Double => reader.GetDouble(ordinal),
                LogicalKind.Boolean => reader.GetBoolean(ordinal),
                LogicalKind.Date => reader.GetFieldValue<DateOnly>(ordinal),
                LogicalKind.Timestamp => reader.GetFieldValue<DateTime>(ordinal),
                LogicalKind.Binary => reader.GetFieldValue<byte[]>(ordinal),
                _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "unknown logical type"),
            };
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException)
        {
            throw new InvalidDataException($"column '{column.Name}' ({column.Type}) holds a value Backflow never writes there ({e.Message}); the table was changed outside Backflow — run `backflow-agent repair` to reload it from the snapshot", e);
        }
    }
}
