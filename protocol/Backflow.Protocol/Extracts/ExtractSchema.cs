using System.Globalization;
using Backflow.Protocol.Catalog;
using Parquet.Schema;

namespace Backflow.Protocol.Extracts;

/// <summary>
/// The Parquet schema of a dataset's extract files: the catalog columns in catalog order, then <c>_op</c>.
/// </summary>
internal static class ExtractSchema
{
    /// <summary>Name of the change-operation column (int32: 0 upsert, 1 delete).</summary>
    public const string OpColumn = "_op";

    /// <summary>The data fields of <paramref name="dataset"/>'s extracts, <c>_op</c> last.</summary>
    public static DataField[] Fields(DatasetDefinition dataset)
    {
        var fields = new DataField[dataset.Columns.Count + 1];
        for (var i = 0; i < dataset.Columns.Count; i++)
        {
            fields[i] = Field(dataset.Columns[i], IsRequired(dataset, i));
        }

        fields[^1] = new DataField<int>(OpColumn, false);
        return fields;
    }

    /// <summary>
    /// Whether column <paramref name="ordinal"/> is required (non-null) in the file. Only key and region columns
    /// are: a delete row carries just those, so every other column must accept null in the file even when the
    /// catalog forbids null — the catalog's nullability is enforced per upsert row by the writer and reader.
    /// </summary>
    public static bool IsRequired(DatasetDefinition dataset, int ordinal) =>
        ordinal == dataset.RegionOrdinal || dataset.KeyOrdinals.Contains(ordinal);

    /// <summary>
    /// Compares the file's schema with the expected one and returns the first difference in words, or null.
    /// </summary>
    public static string? Difference(IReadOnlyList<DataField> expected, ParquetSchema actual)
    {
        if (actual.Fields.Count != actual.DataFields.Length)
        {
            return "the file has nested (struct, list or map) columns; extracts hold flat columns only";
        }

        var found = actual.DataFields;
        var count = Math.Min(expected.Count, found.Length);
        for (var i = 0; i < count; i++)
        {
            var want = Describe(expected[i]);
            var have = Describe(found[i]);
            if (!string.Equals(want, have, StringComparison.Ordinal))
            {
                return $"column {i.ToString(CultureInfo.InvariantCulture)}: expected '{want}' but the file has '{have}'";
            }
        }

        if (found.Length > expected.Count)
        {
            return $"the file has {found.Length.ToString(CultureInfo.InvariantCulture)} columns but the dataset has {expected.Count.ToString(CultureInfo.InvariantCulture)}; first extra column: '{Describe(found[expected.Count])}'";
        }

        if (found.Length < expected.Count)
        {
            return $"the file has {found.Length.ToString(CultureInfo.InvariantCulture)} columns but the dataset has {expected.Count.ToString(CultureInfo.InvariantCulture)}; first missing column: '{Describe(expected[found.Length])}'";
        }

        return null;
    }

    /// <summary>A field as text, e.g. <c>amount decimal(28,4) optional</c>; equal texts mean equal columns.</summary>
    public static string Describe(DataField field)
    {
        var type = field switch
        {
            DecimalDataField d => string.Create(CultureInfo.InvariantCulture, $"decimal({d.Precision},{d.Scale})"),
            DateTimeDataField { DateTimeFormat: DateTimeFormat.Date } => "date",
            DateTimeDataField t => string.Create(CultureInfo.InvariantCulture, $"timestamp({t.DateTimeFormat}, {t.Unit}, utc={t.IsAdjustedToUTC})"),
            _ when field.ClrType == typeof(DateOnly) => "date",
            _ when field.ClrType == typeof(DateTime) => "datetime",
            _ => TypeName(field.ClrType),
        };
        var repeated = field.IsArray ? " repeated" : string.Empty;
        return $"{field.Name} {type}{repeated} {(field.IsNullable ? "optional" : "required")}";
    }

    private static DataField Field(ColumnDefinition column, bool required)
    {
        var nullable = !required;
        return column.Type.Kind switch
        {
            LogicalKind.String => new DataField<string>(column.Name, nullable),
            LogicalKind.Int32 => new DataField<int>(column.Name, nullable),
            LogicalKind.Int64 => new DataField<long>(column.Name, nullable),
            LogicalKind.Decimal => new DecimalDataField(column.Name, column.Type.Precision, column.Type.Scale, isNullable: nullable),
            LogicalKind.Double => new DataField<double>(column.Name, nullable),
            LogicalKind.Boolean => new DataField<bool>(column.Name, nullable),
            LogicalKind.Date => new DataField<DateOnly>(column.Name, nullable),

            // Without Timestamp + Micros + UTC, Parquet.Net keeps only milliseconds (see CONVENTIONS pitfalls).
            LogicalKind.Timestamp => new DateTimeDataField(column.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: nullable),
            LogicalKind.Binary => new DataField<byte[]>(column.Name, nullable),
            _ => throw new ArgumentOutOfRangeException(nameof(column), column.Type, "unknown logical type"),
        };
    }

    private static string TypeName(Type type) => type switch
    {
        _ when type == typeof(string) => "string",
        _ when type == typeof(int) => "int32",
        _ when type == typeof(long) => "int64",
        _ when type == typeof(double) => "double",
        _ when type == typeof(bool) => "boolean",
        _ when type == typeof(byte[]) => "binary",
        _ => type.Name,
    };
}
