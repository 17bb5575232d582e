using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Backflow.Protocol.Catalog;

namespace Backflow.Protocol.Rows;

/// <summary>
/// Writes the canonical encoding of rows and keys (specified in protocol/CANONICAL.md): the byte string whose
/// SHA-256 is a row's hash and whose first 8 digest bytes are its region-checksum term.
/// </summary>
/// <remarks>
/// <para>One instance encodes many rows into one growing buffer, so encoding millions of rows allocates nothing
/// per row. The span returned by <see cref="EncodeRow"/> and <see cref="EncodeKey"/> is only valid until the
/// next call on the same instance. Not thread-safe: use one encoder per thread.</para>
/// <para>Values must have the CLR representation of <see cref="RowValues"/>; a value of another type, a decimal
/// with more fractional digits than its column's scale, a non-UTC or sub-microsecond timestamp, or a string
/// that is not valid UTF-16 is refused with an <see cref="ArgumentException"/> naming the column, because
/// encoding it anyway would let two different values share one encoding. Nullability is not checked here
/// (that is <see cref="RowValues.Check"/>'s job): a null is encoded as a null wherever it appears.</para>
/// </remarks>
public sealed class CanonicalEncoder
{
    /// <summary>Tag byte written for a null value.</summary>
    public const byte NullTag = 0x00;

    /// <summary>Tag byte written before a non-null value.</summary>
    public const byte ValueTag = 0x01;

    private const int UnixEpochDayNumber = 719_162; // DateOnly(1970, 1, 1).DayNumber

    // Throws instead of silently replacing a lone surrogate with U+FFFD, which would merge distinct strings.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly string[] DecimalFormats =
        Enumerable.Range(0, LogicalType.MaxDecimalPrecision + 1).Select(s => "F" + s.ToString(CultureInfo.InvariantCulture)).ToArray();

    private byte[] _buffer;
    private int _length;

    /// <summary>Creates an encoder with a small buffer that grows to the largest row encoded.</summary>
    public CanonicalEncoder()
        : this(256)
    {
    }

    /// <summary>Creates an encoder whose buffer starts at <paramref name="initialCapacity"/> bytes.</summary>
    /// <param name="initialCapacity">Initial buffer size in bytes; it grows as needed.</param>
    public CanonicalEncoder(int initialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        _buffer = new byte[initialCapacity];
    }

    /// <summary>
    /// Encodes a row: every column in catalog order, trailing null columns omitted.
    /// </summary>
    /// <param name="dataset">The dataset the row belongs to.</param>
    /// <param name="values">The row's values in catalog column order, one per column.</param>
    /// <returns>The encoding, valid until the next call on this encoder.</returns>
    /// <exception cref="ArgumentException">The number of values differs from the number of columns, or a value
    /// cannot be encoded for its column (the message names the column).</exception>
    public ReadOnlySpan<byte> EncodeRow(DatasetDefinition dataset, ReadOnlySpan<object?> values)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var columns = dataset.Columns;
        CheckWidth(dataset, values);

        _length = 0;

        // Only the bytes up to the last non-null column count, so that appending nullable columns to a
        // catalog leaves every existing row's encoding, and therefore every checksum, unchanged.
        var end = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (value is null)
            {
                WriteByte(NullTag);
                continue;
            }

            WriteByte(ValueTag);
            WriteValue(columns[i], value);
            end = _length;
        }

        return _buffer.AsSpan(0, end);
    }

    /// <summary>
    /// Encodes a row's primary key: the key columns in key order (<see cref="DatasetDefinition.KeyOrdinals"/>),
    /// each tagged and written exactly as in <see cref="EncodeRow"/>. Used by the server's key index.
    /// </summary>
    /// <param name="dataset">The dataset the row belongs to.</param>
    /// <param name="values">The row's values in catalog column order (the whole row, not just the key).</param>
    /// <returns>The encoding, valid until the next call on this encoder.</returns>
    /// <exception cref="ArgumentException">The number of values differs from the number of columns, a key
    /// value is null, or a key value cannot be encoded for its column (the message names the column).</exception>
    public ReadOnlySpan<byte> EncodeKey(DatasetDefinition dataset, ReadOnlySpan<object?> values)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var columns = dataset.Columns;
        CheckWidth(dataset, values);

        _length = 0;
        var keyOrdinals = dataset.KeyOrdinals;
        for (var k = 0; k < keyOrdinals.Count; k++) // not foreach: an interface enumerator allocates per row
        {
            var ordinal = keyOrdinals[k];
            var value = values[ordinal]
                ?? throw new ArgumentException($"key column '{columns[ordinal].Name}' of dataset '{dataset.Id}' is null; key values are required", nameof(values));
            WriteByte(ValueTag);
            WriteValue(columns[ordinal], value);
        }

        return _buffer.AsSpan(0, _length);
    }

    private static void CheckWidth(DatasetDefinition dataset, ReadOnlySpan<object?> values)
    {
        if (values.Length != dataset.Columns.Count)
        {
            throw new ArgumentException($"the row has {values.Length} values but dataset '{dataset.Id}' has {dataset.Columns.Count} columns; pass one value per column in catalog order", nameof(values));
        }
    }

    private void WriteValue(ColumnDefinition column, object value)
    {
        switch (column.Type.Kind)
        {
            case LogicalKind.String when value is string s:
                WriteString(column, s);
                break;
            case LogicalKind.Int32 when value is int i:
                BinaryPrimitives.WriteInt32LittleEndian(Reserve(sizeof(int)), i);
                break;
            case LogicalKind.Int64 when value is long l:
                BinaryPrimitives.WriteInt64LittleEndian(Reserve(sizeof(long)), l);
                break;
            case LogicalKind.Decimal when value is decimal d:
                WriteDecimal(column, d);
                break;
            case LogicalKind.Double when value is double f:
                BinaryPrimitives.WriteInt64LittleEndian(Reserve(sizeof(long)), CanonicalDoubleBits(f));
                break;
            case LogicalKind.Boolean when value is bool b:
                WriteByte(b ? (byte)1 : (byte)0);
                break;
            case LogicalKind.Date when value is DateOnly date:
                BinaryPrimitives.WriteInt32LittleEndian(Reserve(sizeof(int)), date.DayNumber - UnixEpochDayNumber);
                break;
            case LogicalKind.Timestamp when value is DateTime t:
                BinaryPrimitives.WriteInt64LittleEndian(Reserve(sizeof(long)), UnixMicroseconds(column, t));
                break;
            case LogicalKind.Binary when value is byte[] bytes:
                BinaryPrimitives.WriteUInt32LittleEndian(Reserve(sizeof(uint)), (uint)bytes.Length);
                bytes.CopyTo(Reserve(bytes.Length));
                break;
            default:
                throw Invalid(column, $"expects a {RowValues.ClrType(column.Type).Name} value but got {value.GetType().Name}");
        }
    }

    /// <summary>SQL engines and languages disagree on NaN payloads and on keeping the sign of zero, so a
    /// value that went through a database must still encode the same: one NaN, one zero.</summary>
    private static long CanonicalDoubleBits(double value) =>
        double.IsNaN(value) ? 0x7FF8_0000_0000_0000L
        : value == 0d ? 0L
        : BitConverter.DoubleToInt64Bits(value);

    private static long UnixMicroseconds(ColumnDefinition column, DateTime value)
    {
        if (value.Kind != DateTimeKind.Utc)
        {
            throw Invalid(column, $"expects a UTC timestamp but got one of kind {value.Kind}");
        }

        var ticks = value.Ticks - DateTime.UnixEpoch.Ticks;
        if (ticks % RowValues.TicksPerMicrosecond != 0)
        {
            throw Invalid(column, "expects whole microseconds but got a timestamp with 100-nanosecond ticks");
        }

        return ticks / RowValues.TicksPerMicrosecond;
    }

    private void WriteString(ColumnDefinition column, string value)
    {
        var lengthSlot = _length;
        Reserve(sizeof(uint));
        EnsureCapacity(StrictUtf8.GetMaxByteCount(value.Length));
        int written;
        try
        {
            written = StrictUtf8.GetBytes(value, _buffer.AsSpan(_length));
        }
        catch (EncoderFallbackException e)
        {
            throw Invalid(column, $"got a string that is not valid Unicode (lone surrogate at index {e.Index})");
        }

        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(lengthSlot), (uint)written);
        _length += written;
    }

    private void WriteDecimal(ColumnDefinition column, decimal value)
    {
        var scale = column.Type.Scale;
        var scaled = decimal.Round(value, scale, MidpointRounding.ToZero);
        if (scaled != value)
        {
            throw Invalid(column, $"got {value.ToString(CultureInfo.InvariantCulture)}, which has more than {scale} digits after the point");
        }

        if (scaled == 0m)
        {
            scaled = 0m; // drops the sign of -0.00: zero is never negative
        }

        // Same text as RowValues.FormatDecimal, written straight into the buffer instead of through a string.
        var lengthSlot = _length;
        Reserve(sizeof(uint));
        EnsureCapacity(64); // sign + 29 digits + point + 28 digits
        if (!scaled.TryFormat(_buffer.AsSpan(_length), out var written, DecimalFormats[scale], CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("a decimal did not fit 64 bytes of text");
        }

        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(lengthSlot), (uint)written);
        _length += written;
    }

    private static ArgumentException Invalid(ColumnDefinition column, string problem) =>
        new($"column '{column.Name}' ({column.Type}) {problem}", "values");

    private void WriteByte(byte value)
    {
        EnsureCapacity(1);
        _buffer[_length++] = value;
    }

    private Span<byte> Reserve(int count)
    {
        EnsureCapacity(count);
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    private void EnsureCapacity(int additional)
    {
        var needed = (long)_length + additional;
        if (needed <= _buffer.Length)
        {
            return;
        }

        var size = Math.Max(needed, Math.Min((long)_buffer.Length * 2, Array.MaxLength));
        if (size > Array.MaxLength)
        {
            throw new InvalidOperationException($"a row encoding would exceed {Array.MaxLength} bytes");
        }

        Array.Resize(ref _buffer, (int)size);
    }
}
