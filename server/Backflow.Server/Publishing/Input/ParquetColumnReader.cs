using Backflow.Protocol.Catalog;
using Parquet;
using Parquet.Schema;

namespace Backflow.Server.Publishing.Input;

/// <summary>Reads one column of one row group into the row value representation of its catalog type.</summary>
internal static class ParquetColumnReader
{
    public static async Task<object?[]> ReadAsync(ParquetRowGroupReader rowGroup, DataField field, LogicalKind kind, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rowGroup);
        ArgumentNullException.ThrowIfNull(field);
        switch (kind)
        {
            case LogicalKind.String:
                var strings = new string?[count];
                await rowGroup.ReadAsync(field, strings.AsMemory()!, null, cancellationToken);
                return Array.ConvertAll(strings, s => (object?)s);
            case LogicalKind.Binary:
                var bytes = new byte[]?[count];
                await rowGroup.ReadAsync(field, bytes.AsMemory()!, null, cancellationToken);
                return Array.ConvertAll(bytes, b => (object?)b);
            case LogicalKind.Int32:
                return await ReadStructAsync<int>(rowGroup, field, count, cancellationToken);
            case LogicalKind.Int64:
                return await ReadStructAsync<long>(rowGroup, field, count, cancellationToken);
            case LogicalKind.Decimal:
                return await ReadStructAsync<decimal>(rowGroup, field, count, cancellationToken);
            case LogicalKind.Double:
                return await ReadStructAsync<double>(rowGroup, field, count, cancellationToken);
            case LogicalKind.Boolean:
                return await ReadStructAsync<bool>(rowGroup, field, count, cancellationToken);
            case LogicalKind.Date when field.ClrType == typeof(DateOnly):
                return await ReadStructAsync<DateOnly>(rowGroup, field, count, cancellationToken);
            case LogicalKind.Date:
                var dates = await ReadStructAsync<DateTime>(rowGroup, field, count, cancellationToken);
                return Array.ConvertAll(dates, d => d is DateTime t ? (object)DateOnly.FromDateTime(t) : null);
            case LogicalKind.Timestamp:
                var times = await ReadStructAsync<DateTime>(rowGroup, field, count, cancellationToken);
                return Array.ConvertAll(times, t => t is DateTime d ? (object)ToUtc(d) : null);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown logical kind");
        }
    }

    // Writers disagree on isAdjustedToUTC; a timestamp without a zone means UTC here, as it does in CSV.
    private static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    private static async Task<object?[]> ReadStructAsync<T>(ParquetRowGroupReader rowGroup, DataField field, int count, CancellationToken cancellationToken)
        where T : struct
    {
        // Parquet.Net 6.1.0 reads a required column into Memory<T?> unreliably (a later row group came back with nulls
        // depending on pooled-buffer state); required columns are read into plain T[] instead.
        if (!field.IsNullable)
        {
            var values = new T[count];
            await rowGroup.ReadAsync<T>(field, values.AsMemory(), null, cancellationToken);
            return Array.ConvertAll(values, v => (object?)v);
        }

        var buffer = new T?[count];
        await rowGroup.ReadAsync<T>(field, buffer.AsMemory(), null, cancellationToken);
        return Array.ConvertAll(buffer, v => v.HasValue ? (object?)v.Value : null);
    }
}
