namespace Backflow.Protocol.Catalog;

/// <summary>
/// The logical type of a catalog column. Each kind has exactly one CLR representation in a row
/// (see <see cref="Backflow.Protocol.Rows.RowValues"/>): string, int, long, decimal, double, bool, DateOnly,
/// DateTime (UTC, whole microseconds) and byte[].
/// </summary>
public enum LogicalKind
{
    /// <summary>UTF-8 text (<see cref="string"/>).</summary>
    String,

    /// <summary>32-bit signed integer (<see cref="int"/>).</summary>
    Int32,

    /// <summary>64-bit signed integer (<see cref="long"/>).</summary>
    Int64,

    /// <summary>Exact decimal with a declared precision and scale (<see cref="decimal"/>).</summary>
    Decimal,

    /// <summary>IEEE 754 binary64 (<see cref="double"/>).</summary>
    Double,

    /// <summary>true or false (<see cref="bool"/>).</summary>
    Boolean,

    /// <summary>A calendar date without time zone (<see cref="DateOnly"/>).</summary>
    Date,

    /// <summary>An instant in UTC with microsecond precision (<see cref="DateTime"/> of kind UTC).</summary>
    Timestamp,

    /// <summary>Opaque bytes (<see cref="T:byte[]"/>).</summary>
    Binary,
}
