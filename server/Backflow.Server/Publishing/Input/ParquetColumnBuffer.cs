using System.Runtime.CompilerServices;
using Backflow.Protocol.Catalog;
using Parquet;
using Parquet.Schema;

namespace Backflow.Server.Publishing.Input;

/// <summary>
/// One column of a Parquet changes file, read a row group at a time into a typed array that is reused for every row
/// group, and handed out value by value in the row representation of its catalog type.
/// </summary>
/// <remarks>
/// Reusing the arrays matters: a row group of 50,000 rows needs arrays of hundreds of kilobytes per column, which
/// live on the large object heap; allocating them afresh for every row group made the GC run full collections
/// throughout a large publish. Each array is cleared before it is read into, so a null can never show a value of
/// an earlier row group whatever the reader leaves untouched.
/// </remarks>
internal abstract class ParquetColumnBuffer
{
    protected ParquetColumnBuffer(DataField field) => Field = field;

    protected DataField Field { get; }

    /// <summary>The value at <paramref name="index"/> of the row group read last.</summary>
    public abstract object? this[int index] { get; }

    public static ParquetColumnBuffer Create(DataField field, LogicalKind kind)
    {
        ArgumentNullException.ThrowIfNull(field);
        return kind switch
        {
            LogicalKind.String => new StringBuffer(field),
            LogicalKind.Binary => new BinaryBuffer(field),
            LogicalKind.Int32 => StructBuffer<int>.For(field, static v => v),
            LogicalKind.Int64 => StructBuffer<long>.For(field, static v => v),
            LogicalKind.Decimal => StructBuffer<decimal>.For(field, static v => v),
            LogicalKind.Double => StructBuffer<double>.For(field, static v => v),
            LogicalKind.Boolean => StructBuffer<bool>.For(field, static v => v),
            LogicalKind.Date when field.ClrType == typeof(DateOnly) => StructBuffer<DateOnly>.For(field, static v => v),
            LogicalKind.Date => StructBuffer<DateTime>.For(field, static v => DateOnly.FromDateTime(v)),
            LogicalKind.Timestamp => StructBuffer<DateTime>.For(field, static v => ToUtc(v)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown logical kind"),
        };
    }

    /// <summary>Reads this column of <paramref name="rowGroup"/> (<paramref name="count"/> rows).</summary>
    public abstract Task ReadAsync(ParquetRowGroupReader rowGroup, int count, CancellationToken cancellationToken);

    /// <summary>The array to read <paramref name="count"/> values into: grown when needed, cleared either way.</summary>
    protected static T[] Prepare<T>(T[] buffer, int count)
    {
        if (buffer.Length < count)
        {
            return new T[count];
        }

        Array.Clear(buffer, 0, count);
        return buffer;
    }

    // Writers disagree on isAdjustedToUTC; a timestamp without a zone means UTC here, as it does in CSV.
    private static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    /// <summary>
    /// Text is read as Parquet.Net decodes it, characters per value, and made strings column by column right away
    /// through a <see cref="TextInterner"/>, so that a repeating value becomes one string, not one per row (Parquet.Net's
    /// own string reading copies every value into a new string). The characters are let go as soon as they are copied.
    /// </summary>
    private sealed class StringBuffer(DataField field) : ParquetColumnBuffer(field)
    {
        private readonly TextInterner _interner = new();
        private string?[] _values = [];
        private ReadOnlyMemory<char>[] _text = [];
        private int[] _definitions = [];

        public override object? this[int index] => _values[index];

        public override async Task ReadAsync(ParquetRowGroupReader rowGroup, int count, CancellationToken cancellationToken)
        {
            _values = Prepare(_values, count);
            _text = Prepare(_text, count);
            _interner.Resample();
            if (!Field.IsNullable)
            {
                await rowGroup.ReadRawAsync<ReadOnlyMemory<char>>(Field, _text.AsMemory(0, count), null, null, cancellationToken);
                MakeStrings(count, null);
            }
            else
            {
                // A nullable column comes back packed: its non-null values in order, and a definition level for every row.
                _definitions = Prepare(_definitions, count);
                await rowGroup.ReadRawAsync<ReadOnlyMemory<char>>(Field, _text.AsMemory(0, count), _definitions.AsMemory(0, count), null, cancellationToken);
                MakeStrings(count, _definitions);
            }

            Array.Clear(_text, 0, count);
        }

        /// <summary>The strings of the row group, from its characters: packed (non-null values only) when
        /// <paramref name="definitions"/> says which rows have one. Compiled fully optimized at once: it runs once per
        /// row group, too few calls for tiered compilation to optimize it early.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void MakeStrings(int count, int[]? definitions)
        {
            var defined = Field.MaxDefinitionLevel;
            var next = 0;
            for (var i = 0; i < count; i++)
            {
                _values[i] = definitions is null || definitions[i] == defined ? _interner.Get(_text[next++].Span) : null;
            }
        }
    }

    private sealed class BinaryBuffer(DataField field) : ParquetColumnBuffer(field)
    {
        private byte[]?[] _values = [];

        public override object? this[int index] => _values[index];

        public override async Task ReadAsync(ParquetRowGroupReader rowGroup, int count, CancellationToken cancellationToken)
        {
            _values = Prepare(_values, count);
            await rowGroup.ReadAsync(Field, _values.AsMemory(0, count)!, null, cancellationToken);
        }
    }

    private abstract class StructBuffer<T>(DataField field, Func<T, object> box) : ParquetColumnBuffer(field)
        where T : struct
    {
        protected Func<T, object> Box { get; } = box;

        // Parquet.Net 6.1.0 reads a required column into Memory<T?> unreliably (a later row group came back with nulls
        // depending on pooled-buffer state); required columns are read into plain T[] instead.
        public static ParquetColumnBuffer For(DataField field, Func<T, object> box) =>
            field.IsNullable ? new NullableBuffer(field, box) : new RequiredBuffer(field, box);

        private sealed class RequiredBuffer(DataField field, Func<T, object> box) : StructBuffer<T>(field, box)
        {
            private T[] _values = [];

            public override object? this[int index] => Box(_values[index]);

            public override async Task ReadAsync(ParquetRowGroupReader rowGroup, int count, CancellationToken cancellationToken)
            {
                _values = Prepare(_values, count);
                await rowGroup.ReadAsync<T>(Field, _values.AsMemory(0, count), null, cancellationToken);
            }
        }

        private sealed class NullableBuffer(DataField field, Func<T, object> box) : StructBuffer<T>(field, box)
        {
            private T?[] _values = [];

            public override object? this[int index] => _values[index] is { } value ? Box(value) : null;

            public override async Task ReadAsync(ParquetRowGroupReader rowGroup, int count, CancellationToken cancellationToken)
            {
                _values = Prepare(_values, count);
                await rowGroup.ReadAsync<T>(Field, _values.AsMemory(0, count), null, cancellationToken);
            }
        }
    }
}
