using System.Globalization;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Rows;

namespace Backflow.Protocol.Extracts;

/// <summary>
/// The rules every extract row obeys, shared by the writer (which refuses to write a bad row) and the reader
/// (which refuses a file that holds one): values in their row representation, catalog nullability for
/// upserts, and only key and region columns set on deletes.
/// </summary>
internal static class ExtractRowRules
{
    /// <summary>Returns what is wrong with <paramref name="row"/>, naming the column, or null when it is valid.</summary>
    public static string? Check(DatasetDefinition dataset, ExtractRow row)
    {
        if (row.Op is not (ChangeOp.Upsert or ChangeOp.Delete))
        {
            return $"op {((int)row.Op).ToString(CultureInfo.InvariantCulture)} is neither upsert (0) nor delete (1)";
        }

        var columns = dataset.Columns;
        if (row.Values is null || row.Values.Length != columns.Count)
        {
            var count = row.Values?.Length.ToString(CultureInfo.InvariantCulture) ?? "no";
            return $"has {count} values but dataset '{dataset.Id}' has {columns.Count.ToString(CultureInfo.InvariantCulture)} columns";
        }

        for (var i = 0; i < columns.Count; i++)
        {
            var error = CheckValue(dataset, row.Op, i, row.Values[i]);
            if (error is not null)
            {
                return $"column '{columns[i].Name}' ({columns[i].Type}): {error}";
            }
        }

        return null;
    }

    /// <summary>Checks only what a typed Parquet column cannot guarantee by itself: where null may appear.</summary>
    public static string? CheckNulls(DatasetDefinition dataset, ChangeOp op, object?[] values)
    {
        var columns = dataset.Columns;
        for (var i = 0; i < columns.Count; i++)
        {
            var identifying = ExtractSchema.IsRequired(dataset, i);
            if (op == ChangeOp.Delete && !identifying && values[i] is not null)
            {
                return $"column '{columns[i].Name}': a delete row carries only key and region values, but this column is set";
            }

            if (op == ChangeOp.Upsert && !columns[i].Nullable && values[i] is null)
            {
                return $"column '{columns[i].Name}': null is not allowed in this column (nullable: false)";
            }
        }

        return null;
    }

    private static string? CheckValue(DatasetDefinition dataset, ChangeOp op, int ordinal, object? value)
    {
        if (op == ChangeOp.Delete && !ExtractSchema.IsRequired(dataset, ordinal))
        {
            return value is null ? null : "a delete row carries only key and region values; set this column to null";
        }

        return RowValues.Check(dataset.Columns[ordinal], value);
    }
}
