using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Backflow.Protocol.Catalog;

namespace Backflow.Protocol.Rows;

/// <summary>
/// Reads a canonical row encoding (protocol/CANONICAL.md §2) back into values, given the dataset it was encoded
/// with: the inverse of <see cref="CanonicalEncoder.EncodeRow"/>. Trailing null columns, which the encoding omits,
/// are restored as nulls, so a row encoded before nullable columns were appended decodes under the wider schema.
/// </summary>
/// <remarks>The server keeps every live row's encoding in its key index and rebuilds snapshots from it; decoding
/// and re-encoding gives the same bytes, so a snapshot's checksum equals the published one.</remarks>
public static class CanonicalDecoder
{
    private const int UnixEpochDayNumber = 719_162;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="encoding"/> into <paramref name="values"/> (one slot per column, catalog order).</summary>
    /// <param name="dataset">The dataset whose columns the encoding was written with (or a schema that only appends
    /// nullable columns to it).</param>
    /// <param name="encoding">A canonical row encoding.</param>
    /// <param name="values">Receives the values; must hold exactly one slot per column.</param>
    /// <exception cref="FormatException">The bytes are not a valid encoding for the dataset's columns (the message
    /// names the column and the byte offset).</exception>
    public static void DecodeRow(DatasetDefinition dataset, ReadOnlySpan<byte> encoding, Span<object?> values)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var columns = dataset.Columns;
        if (values.Length != columns.Count)
        {
            throw new ArgumentException($"values has {values.Length} slots but dataset '{dataset.Id}' has {columns.Count} columns", nameof(values));
        }

        var offset = 0;
        for (var i = 0; i < columns.Count; i++)
        {
            if (offset == encoding.Length)
            {
                values[i] = null; // omitted trailing null
                continue;
            }

            var tag = encoding[offset++];
            values[i] = tag switch
            {
                CanonicalEncoder.NullTag => null,
                CanonicalEncoder.ValueTag => ReadValue(columns[i], encoding, ref offset),
                _ => throw Invalid(columns[i], offset - 1, $"tag byte {tag:x2} is neither 00 nor 01"),
            };
        }

        if (offset != encoding.Length)
        {
            throw new FormatException($"the row encoding has {encoding.Length - offset} bytes after the last column of dataset '{dataset.Id}'; it was written with another schema");
        }
    }

    /// <summary>Decodes <paramref name="encoding"/> into a new array of values in catalog column order.</summary>
    /// <inheritdoc cref="DecodeRow(DatasetDefinition, ReadOnlySpan{byte}, Span{object?})"/>
    public static object?[] DecodeRow(DatasetDefinition dataset, ReadOnlySpan<byte> encoding)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var values = new object?[dataset.Columns.Count];
        DecodeRow(dataset, encoding, values);
        return values;
    }

    private static object ReadValue(ColumnDefinition column, ReadOnlySpan<byte> data, ref int offset)
    {
        var start = offset;
        switch (column.Type.Kind)
        {
            case LogicalKind.String:
                var text = Take(column, data, ref offset, ReadLength(column, data, ref offset));
                try
                {
                    return StrictUtf8.GetString(text);
                }
                catch (DecoderFallbackException)
                {
                    throw Invalid(column, start, "the string is not valid UTF-8");
                }

            case LogicalKind.Int32:
                return BinaryPrimitives.ReadInt32LittleEndian(Take(column, data, ref offset, 4));
            case LogicalKind.Int64:
                return BinaryPrimitives.ReadInt64LittleEndian(Take(column, data, ref offset, 8));
            case LogicalKind.Decimal:
                var digits = Encoding.ASCII.GetString(Take(column, data, ref offset, ReadLength(column, data, ref offset)));
                if (!decimal.TryParse(digits, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
                    || RowValues.FormatDecimal(d, column.Type.Scale) != digits)
                {
                    throw Invalid(column, start, $"'{digits}' is not a canonical decimal of scale {column.Type.Scale}");
                }

                return d;
            case LogicalKind.Double:
                return BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(Take(column, data, ref offset, 8)));
            case LogicalKind.Boolean:
                var b = Take(column, data, ref offset, 1)[0];
                return b switch
                {
                    0 => false,
                    1 => true,
                    _ => throw Invalid(column, start, $"boolean byte {b:x2} is neither 00 nor 01"),
                };
            case LogicalKind.Date:
                var days = BinaryPrimitives.ReadInt32LittleEndian(Take(column, data, ref offset, 4));
                try
                {
                    return DateOnly.FromDayNumber(days + UnixEpochDayNumber);
                }
                catch (ArgumentOutOfRangeException)
                {
                    throw Invalid(column, start, $"day {days} is outside 0001-01-01..9999-12-31");
                }

            case LogicalKind.Timestamp:
                var micros = BinaryPrimitives.ReadInt64LittleEndian(Take(column, data, ref offset, 8));
                try
                {
                    return new DateTime(checked(DateTime.UnixEpoch.Ticks + (micros * RowValues.TicksPerMicrosecond)), DateTimeKind.Utc);
                }
                catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
                {
                    throw Invalid(column, start, $"{micros} µs is outside 0001-01-01..9999-12-31");
                }

            case LogicalKind.Binary:
                return Take(column, data, ref offset, ReadLength(column, data, ref offset)).ToArray();
            default:
                throw Invalid(column, start, "unknown logical type");
        }
    }

    private static int ReadLength(ColumnDefinition column, ReadOnlySpan<byte> data, ref int offset)
    {
        var length = BinaryPrimitives.ReadUInt32LittleEndian(Take(column, data, ref offset, 4));
        return length > int.MaxValue ? throw Invalid(column, offset - 4, $"length {length} is too large") : (int)length;
    }

    private static ReadOnlySpan<byte> Take(ColumnDefinition column, ReadOnlySpan<byte> data, ref int offset, int count)
    {
        if (data.Length - offset < count)
        {
            throw Invalid(column, offset, $"needs {count} bytes but only {data.Length - offset} remain");
        }

        var span = data.Slice(offset, count);
        offset += count;
        return span;
    }

    private static FormatException Invalid(ColumnDefinition column, int offset, string problem) =>
        new($"column '{column.Name}' ({column.Type}) at byte {offset}: {problem}");
}
