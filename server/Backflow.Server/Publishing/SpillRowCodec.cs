using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;

namespace Backflow.Server.Publishing;

/// <summary>
/// How <see cref="RowSpill"/> stores a row: each value in its in-memory form, copied, not converted. The file lives only
/// as long as the publish that wrote it and is read back by the same process, so nothing in it needs to outlast a
/// version or a machine.
/// </summary>
/// <remarks>
/// <para>Not the canonical encoding (protocol/CANONICAL.md), which the spill used before. That encoding is made to be
/// hashed and compared across machines: decimals as digit text (formatted to write, parsed and formatted again to check
/// when read), text as strict UTF-8. A publish over 3,100 counties spills nearly every row, and a profile found a fifth
/// of its finishing time decoding spilled rows, most of it in those two conversions.</para>
/// <para>A row is its change (1 byte), then per column a presence byte (0 null, 1 a value) and the value: text as the
/// byte length of its UTF-16 characters (4 bytes) and those characters in this machine's byte order, bytes as their
/// length and bytes, a decimal as its four 32-bit parts, a date as its day number, a timestamp as
/// <see cref="DateTime.ToBinary"/> (ticks and kind, so that the extract rules still see a timestamp that is not UTC),
/// the rest as their bits. Lengths and numbers are little-endian.</para>
/// </remarks>
internal static class SpillRowCodec
{
    private const byte Null = 0;
    private const byte Value = 1;

    /// <summary>Appends the encoding of <paramref name="row"/> to <paramref name="into"/>.</summary>
    public static void Write(DatasetDefinition dataset, ExtractRow row, IBufferWriter<byte> into)
    {
        Put(into, 1)[0] = (byte)row.Op;
        var columns = dataset.Columns;
        for (var c = 0; c < columns.Count; c++)
        {
            if (row.Values[c] is { } value)
            {
                WriteValue(columns[c].Type.Kind, value, into);
            }
            else
            {
                Put(into, 1)[0] = Null;
            }
        }
    }

    /// <summary>Reads the row at <paramref name="offset"/> of <paramref name="data"/> into <paramref name="values"/> (one
    /// slot per column) and moves <paramref name="offset"/> past it.</summary>
    /// <exception cref="InvalidDataException">The bytes end before the row does, or hold no valid value where one is.</exception>
    public static ChangeOp Read(DatasetDefinition dataset, ReadOnlySpan<byte> data, ref int offset, object?[] values)
    {
        var op = (ChangeOp)Take(data, ref offset, 1)[0];
        var columns = dataset.Columns;
        for (var c = 0; c < columns.Count; c++)
        {
            var at = offset;
            values[c] = Take(data, ref offset, 1)[0] switch
            {
                Null => null,
                Value => ReadValue(columns[c], data, ref offset),
                var other => throw Invalid(columns[c], at, $"presence byte {other:x2} is neither 00 nor 01"),
            };
        }

        return op;
    }

    /// <summary>Decodes <paramref name="count"/> rows written one after another in <paramref name="data"/> and adds them
    /// to <paramref name="into"/>, which checks each against the extract rules.</summary>
    /// <exception cref="InvalidDataException">The bytes end before the rows do, or go on after them.</exception>
    public static void AddTo(DatasetDefinition dataset, ReadOnlySpan<byte> data, int count, ExtractRowGroup into)
    {
        // One array for every row: the group copies the values into its columns.
        var values = new object?[dataset.Columns.Count];
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            var op = Read(dataset, data, ref offset, values);
            into.Add(new ExtractRow(op, values));
        }

        if (offset != data.Length)
        {
            throw new InvalidDataException($"{data.Length - offset} bytes are left after the last of {count} spilled rows");
        }
    }

    /// <summary>Writes the presence byte and the value, taking room for both at once (a row is written a value at a time).</summary>
    private static void WriteValue(LogicalKind kind, object value, IBufferWriter<byte> into)
    {
        switch (kind)
        {
            case LogicalKind.String:
                WriteBytes(MemoryMarshal.AsBytes(((string)value).AsSpan()), into);
                break;
            case LogicalKind.Binary:
                WriteBytes((byte[])value, into);
                break;
            case LogicalKind.Int32:
                BinaryPrimitives.WriteInt32LittleEndian(PutValue(into, 4), (int)value);
                break;
            case LogicalKind.Date:
                BinaryPrimitives.WriteInt32LittleEndian(PutValue(into, 4), ((DateOnly)value).DayNumber);
                break;
            case LogicalKind.Int64:
                BinaryPrimitives.WriteInt64LittleEndian(PutValue(into, 8), (long)value);
                break;
            case LogicalKind.Double:
                BinaryPrimitives.WriteInt64LittleEndian(PutValue(into, 8), BitConverter.DoubleToInt64Bits((double)value));
                break;
            case LogicalKind.Timestamp:
                BinaryPrimitives.WriteInt64LittleEndian(PutValue(into, 8), ((DateTime)value).ToBinary());
                break;
            case LogicalKind.Boolean:
                PutValue(into, 1)[0] = (bool)value ? (byte)1 : (byte)0;
                break;
            case LogicalKind.Decimal:
                Span<int> parts = stackalloc int[4];
                decimal.GetBits((decimal)value, parts);
                var span = PutValue(into, 16);
                for (var i = 0; i < 4; i++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(span[(4 * i)..], parts[i]);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown logical type");
        }
    }

    /// <summary>Reads a value of <paramref name="column"/>; a value its type cannot hold (a corrupt file) is refused with
    /// where it is, not with the constructor's own exception.</summary>
    private static object ReadValue(ColumnDefinition column, ReadOnlySpan<byte> data, ref int offset)
    {
        var at = offset;
        try
        {
            return ReadValue(column.Type.Kind, data, ref offset);
        }
        catch (ArgumentException e)
        {
            throw Invalid(column, at, e.Message);
        }
    }

    private static object ReadValue(LogicalKind kind, ReadOnlySpan<byte> data, ref int offset)
    {
        switch (kind)
        {
            case LogicalKind.String:
                var text = ReadBytes(data, ref offset);
                return text.Length % sizeof(char) == 0
                    ? new string(MemoryMarshal.Cast<byte, char>(text))
                    : throw new ArgumentException($"text of {text.Length} bytes is not whole UTF-16 characters");
            case LogicalKind.Binary:
                return ReadBytes(data, ref offset).ToArray();
            case LogicalKind.Int32:
                return BinaryPrimitives.ReadInt32LittleEndian(Take(data, ref offset, 4));
            case LogicalKind.Date:
                return DateOnly.FromDayNumber(BinaryPrimitives.ReadInt32LittleEndian(Take(data, ref offset, 4)));
            case LogicalKind.Int64:
                return BinaryPrimitives.ReadInt64LittleEndian(Take(data, ref offset, 8));
            case LogicalKind.Double:
                return BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(Take(data, ref offset, 8)));
            case LogicalKind.Timestamp:
                return DateTime.FromBinary(BinaryPrimitives.ReadInt64LittleEndian(Take(data, ref offset, 8)));
            case LogicalKind.Boolean:
                return Take(data, ref offset, 1)[0] != 0;
            case LogicalKind.Decimal:
                var bytes = Take(data, ref offset, 16);
                Span<int> parts = stackalloc int[4];
                for (var i = 0; i < 4; i++)
                {
                    parts[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(4 * i)..]);
                }

                return new decimal(parts);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown logical type");
        }
    }

    private static void WriteBytes(ReadOnlySpan<byte> bytes, IBufferWriter<byte> into)
    {
        var span = PutValue(into, 4 + bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span, bytes.Length);
        bytes.CopyTo(span[4..]);
    }

    private static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> data, ref int offset) =>
        Take(data, ref offset, BinaryPrimitives.ReadInt32LittleEndian(Take(data, ref offset, 4)));

    /// <summary>Writes the presence byte of a value and returns the <paramref name="count"/> bytes after it for the value.</summary>
    private static Span<byte> PutValue(IBufferWriter<byte> into, int count)
    {
        var span = Put(into, 1 + count);
        span[0] = Value;
        return span[1..];
    }

    /// <summary>The next <paramref name="count"/> bytes of <paramref name="into"/>, marked as written.</summary>
    private static Span<byte> Put(IBufferWriter<byte> into, int count)
    {
        var span = into.GetSpan(count)[..count];
        into.Advance(count);
        return span;
    }

    private static InvalidDataException Invalid(ColumnDefinition column, int offset, string problem) =>
        new($"a spilled row's column '{column.Name}' ({column.Type}) at offset {offset} of its segment: {problem}");

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, ref int offset, int count)
    {
        if (count < 0 || data.Length - offset < count)
        {
            throw new InvalidDataException($"a spilled row needs {count} bytes at offset {offset} of its segment, but the segment has {data.Length - offset} left");
        }

        var span = data.Slice(offset, count);
        offset += count;
        return span;
    }
}
