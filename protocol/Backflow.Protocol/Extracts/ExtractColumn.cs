using Backflow.Protocol.Catalog;
using Parquet;
using Parquet.Schema;

namespace Backflow.Protocol.Extracts;

/// <summary>
/// One column of one row group as a typed array: rows are turned into columns before writing and columns
/// back into rows after reading, so values are never held as anything but their one CLR representation.
/// The array is reused across row groups so that memory stays at one row group.
/// </summary>
internal abstract class ExtractColumn(DataField field)
{
    /// <summary>The Parquet field this column writes and reads.</summary>
    public DataField Field { get; } = field;

    /// <summary>Creates the buffer for a field of <see cref="ExtractSchema"/>.</summary>
    public static ExtractColumn Create(DataField field, LogicalKind kind) => kind switch
    {
        LogicalKind.String => new ReferenceColumn<string>(field),
        LogicalKind.Binary => new ReferenceColumn<byte[]>(field),
        LogicalKind.Int32 => new StructColumn<int>(field),
        LogicalKind.Int64 => new StructColumn<long>(field),
        LogicalKind.Decimal => new StructColumn<decimal>(field),
        LogicalKind.Double => new StructColumn<double>(field),
        LogicalKind.Boolean => new StructColumn<bool>(field),
        LogicalKind.Date => new StructColumn<DateOnly>(field),

        // Whatever Kind Parquet.Net hands back, the row representation of a timestamp is UTC.
        LogicalKind.Timestamp => new StructColumn<DateTime>(field, t => DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown logical type"),
    };

    /// <summary>Makes room for <paramref name="count"/> rows (keeps the array when it is big enough).</summary>
    public abstract void Reset(int count);

    /// <summary>Makes room for <paramref name="length"/> rows, keeping the values stored so far.</summary>
    public abstract void Grow(int length);

    /// <summary>Copies the first <paramref name="count"/> values of <paramref name="other"/> (a column of the same field
    /// type) to rows <paramref name="at"/> onwards; room must have been made for them.</summary>
    public abstract void CopyFrom(ExtractColumn other, int count, int at);

    /// <summary>Stores the value of row <paramref name="row"/>; the caller has checked its type.</summary>
    public abstract void Set(int row, object? value);

    /// <summary>Returns the value of row <paramref name="row"/> in its row representation.</summary>
    public abstract object? Get(int row);

    /// <summary>Writes the first <paramref name="count"/> values as this field's column chunk.</summary>
    public abstract Task WriteAsync(ParquetRowGroupWriter writer, int count, CancellationToken ct);

    /// <summary>Drops the references a written row group left behind (strings, byte arrays), so that its rows can be
    /// collected while the writer stays open; the array itself is kept for the next group.</summary>
    public virtual void ForgetValues(int count)
    {
    }

    /// <summary>Lets go of the buffer: the file is finished, and a publish may hold thousands of finished writers.</summary>
    public abstract void Release();

    /// <summary>Reads this field's column chunk of <paramref name="count"/> values.</summary>
    public abstract Task ReadAsync(ParquetRowGroupReader reader, int count, CancellationToken ct);
}
