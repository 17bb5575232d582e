using Parquet;
using Parquet.Schema;

namespace Backflow.Protocol.Extracts;

/// <summary>A column of strings or byte arrays, where null is simply a null reference.</summary>
internal sealed class ReferenceColumn<T>(DataField field) : ExtractColumn(field)
    where T : class
{
    private T?[] _values = [];

    public override void Reset(int count)
    {
        if (_values.Length < count)
        {
            _values = new T?[count];
        }
    }

    public override void Grow(int length)
    {
        if (_values.Length < length)
        {
            Array.Resize(ref _values, length);
        }
    }

    public override void CopyFrom(ExtractColumn other, int count, int at) => Array.Copy(((ReferenceColumn<T>)other)._values, 0, _values, at, count);

    public override void Set(int row, object? value) => _values[row] = (T?)value;

    public override object? Get(int row) => _values[row];

    public override Task WriteAsync(ParquetRowGroupWriter writer, int count, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();

        // Parquet.Net's reference-type overloads take no cancellation token; the chunk is one row group at most.
        return _values switch
        {
            string?[] strings => writer.WriteAsync(Field, new ArraySegment<string>(strings!, 0, count)),
            byte[]?[] bytes => writer.WriteAsync(Field, new ArraySegment<byte[]>(bytes!, 0, count)),
            _ => throw new InvalidOperationException($"no Parquet writer for {typeof(T).Name} columns"),
        };
    }

    public override void ForgetValues(int count) => Array.Clear(_values, 0, count);

    public override void Release() => _values = [];

    public override Task ReadAsync(ParquetRowGroupReader reader, int count, CancellationToken ct)
    {
        Reset(count);
        return _values switch
        {
            string?[] strings => reader.ReadAsync(Field, new Memory<string?>(strings, 0, count), cancellationToken: ct).AsTask(),
            byte[]?[] bytes => reader.ReadAsync(Field, new Memory<byte[]?>(bytes, 0, count), cancellationToken: ct).AsTask(),
            _ => throw new InvalidOperationException($"no Parquet reader for {typeof(T).Name} columns"),
        };
    }
}
