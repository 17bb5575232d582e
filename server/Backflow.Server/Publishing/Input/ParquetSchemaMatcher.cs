using Backflow.Protocol.Catalog;
using Parquet.Schema;

namespace Backflow.Server.Publishing.Input;

/// <summary>
/// Maps a Parquet file's columns to a dataset's catalog columns by name and checks their types are compatible,
/// so that every value read can be represented exactly.
/// </summary>
internal static class ParquetSchemaMatcher
{
    /// <summary>Returns the file field for each catalog ordinal, or null after reporting every mismatch.</summary>
    public static DataField[]? Match(DatasetDefinition dataset, ParquetSchema schema, ProblemList problems)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(problems);
        var fields = new DataField?[dataset.Columns.Count];
        var ok = true;
        foreach (var field in schema.Fields)
        {
            var ordinal = dataset.OrdinalOf(field.Name);
            if (ordinal < 0)
            {
                problems.Add(0, field.Name, null, $"not a column of dataset {dataset.Id}; remove it or rename it to one of: {string.Join(", ", dataset.Columns.Select(c => c.Name))}");
                ok = false;
                continue;
            }

            var column = dataset.Columns[ordinal];
            if (field is not DataField data || data.IsArray)
            {
                problems.Add(0, field.Name, null, $"nested (list, struct or map) columns are not supported; write a plain {column.Type} column");
                ok = false;
                continue;
            }

            if (fields[ordinal] is not null)
            {
                problems.Add(0, field.Name, null, "duplicate column name; each column appears once");
                ok = false;
                continue;
            }

            fields[ordinal] = data;
            var error = Incompatibility(column.Type, data);
            if (error is not null)
            {
                problems.Add(0, field.Name, null, error);
                ok = false;
            }
        }

        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i] is null && schema.Fields.All(f => f.Name != dataset.Columns[i].Name))
            {
                problems.Add(0, dataset.Columns[i].Name, null, $"missing from the file; dataset {dataset.Id} declares this column as {dataset.Columns[i].Type}");
                ok = false;
            }
        }

        return ok ? fields.Select(f => f!).ToArray() : null;
    }

    /// <summary>The logical kind a Parquet field holds, or null when no catalog type can hold it exactly.</summary>
    public static LogicalKind? KindOf(DataField field) => field switch
    {
        DecimalDataField => LogicalKind.Decimal,
        DateTimeDataField { DateTimeFormat: DateTimeFormat.Date } => LogicalKind.Date,
        _ when field.ClrType == typeof(DateOnly) => LogicalKind.Date,
        _ when field.ClrType == typeof(DateTime) => LogicalKind.Timestamp,
        // Parquet.Net 6 reports text and byte-array columns as ReadOnlyMemory to avoid allocating; both read fine as string / byte[].
        _ when field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>) => LogicalKind.String,
        _ when field.ClrType == typeof(int) => LogicalKind.Int32,
        _ when field.ClrType == typeof(long) => LogicalKind.Int64,
        _ when field.ClrType == typeof(double) => LogicalKind.Double,
        _ when field.ClrType == typeof(bool) => LogicalKind.Boolean,
        _ when field.ClrType == typeof(byte[]) || field.ClrType == typeof(ReadOnlyMemory<byte>) => LogicalKind.Binary,
        _ => null,
    };

    private static string? Incompatibility(LogicalType expected, DataField field)
    {
        var kind = KindOf(field);
        var described = field switch
        {
            DecimalDataField d => new LogicalType(LogicalKind.Decimal, d.Precision, d.Scale).ToString(),
            _ when kind is { } k => new LogicalType(k).ToString(),
            _ => "Parquet type " + field.ClrType.Name,
        };
        if (kind != expected.Kind)
        {
            return $"the file holds {described} but the catalog declares {expected}; write this column as {expected}";
        }

        if (field is DecimalDataField dec && (dec.Scale != expected.Scale || dec.Precision > expected.Precision))
        {
            return $"the file holds {described} but the catalog declares {expected}; write it with scale {expected.Scale} and precision at most {expected.Precision}";
        }

        return null;
    }
}
