using Parquet;
using Parquet.Schema;

namespace Backflow.Protocol.Extracts;

/// <summary>
/// A column of a value type. Required fields use a plain <typeparamref name="T"/> array and optional fields a
/// <see cref="Nullable{T}"/> array, because Parquet.Net checks the array's nullability against the field's.
/// </summary>
internal sealed class StructColumn<T>(DataField field, Func<T, T>? normalize = null) : ExtractColumn(field)
    where T : struct
{
    private T[] _required = [];
    private T?[] _optional = [];

    public override void Reset(int count)
    {
        if (Field.IsNullable)
        {
            if (_optional.Length < count)
            {
                _optional = new T?[count];
            }
        }
        else if (_required.Length < count)
        {
            _required = new T[count];
        }
    }

    public override void Grow(int length)
    {
        if (Field.IsNullable)
        {
            if (_optional.Length < length)
            {
                Array.Resize(ref _optional, length);
            }
        }
        else if (_required.Length < length)
        {
            Array.Resize(ref _required, length);
        }
    }

    public override void CopyFrom(ExtractColumn other, int count, int at)
    {
        var from = (StructColumn<T>)other;
        if (Field.IsNullable)
        {
            Array.Copy(from._optional, 0, _optional, at, count);
        }
        else
        {
            Array.Copy(from._required, 0, _required, at, count);
        }
    }

    public override void Set(int row, object? value)
    {
        if (Field.IsNullable)
        {
            _optional[row] = (T?)value;
        }
        else
        {
            _required[row] = (T)value!;
        }
    }

    public override object? Get(int row)
    {
        if (Field.IsNullable)
        {
            var value = _optional[row];
            return value is { } v ? Normalize(v) : null;
        }

        return Normalize(_required[row]);
    }

    public override Task WriteAsync(ParquetRowGroupWriter writer, int count, CancellationToken ct) =>
        Field.IsNullable
            ? writer.WriteAsync<T>(Field, new ReadOnlyMemory<T?>(_optional, 0, count), cancellationToken: ct)
            : writer.WriteAsync<T>(Field, new ReadOnlyMemory<T>(_required, 0, count), cancellationToken: ct);

    public override void Release()
    {
        _required = [];
        _optional = [];
    }

    public override Task ReadAsync(ParquetRowGroupReader reader, int count, CancellationToken ct)
    {
        Reset(count);
        return Field.IsNullable
            ? reader.ReadAsync<T>(Field, new Memory<T?>(_optional, 0, count), cancellationToken: ct).AsTask()
            : reader.ReadAsync<T>(Field, new Memory<T>(_required, 0, count), cancellationToken: ct).AsTask();
    }

    private object Normalize(T value) => normalize is null ? value : normalize(value);
}
