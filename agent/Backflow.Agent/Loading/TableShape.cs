using Backflow.Protocol.Catalog;

namespace Backflow.Agent.Loading;

/// <summary>
/// Decides whether an existing table can hold a dataset, whatever the database: the only change made in place is
/// adding nullable columns (old rows read null, and trailing nulls leave their checksum terms unchanged); every other
/// difference is refused, naming the column and why, because silently reshaping a county's table could lose data.
/// </summary>
internal static class TableShape
{
    /// <summary>The dataset's columns the table lacks (all nullable, so they can be added in place).</summary>
    /// <param name="keyOrdinals">The stored primary key's column ordinals, in key order.</param>
    /// <param name="declaredType">The type the target declares for a logical type, as <paramref name="existing"/> spells it.</param>
    /// <param name="incompatible">Builds the exception for (column, why).</param>
    public static IReadOnlyList<ColumnDefinition> MissingColumns(
        DatasetDefinition dataset,
        IReadOnlyList<int> keyOrdinals,
        IReadOnlyList<StoredColumn> existing,
        Func<LogicalType, string> declaredType,
        Func<string, string, Exception> incompatible)
    {
        foreach (var column in existing)
        {
            var ordinal = dataset.OrdinalOf(column.Name);
            if (ordinal < 0)
            {
                throw incompatible(column.Name, "the table has this column but the dataset no longer does (a removed or renamed column is a breaking change)");
            }

            var definition = dataset.Columns[ordinal];
            var expectedType = declaredType(definition.Type);
            if (!string.Equals(column.Type, expectedType, StringComparison.OrdinalIgnoreCase))
            {
                throw incompatible(column.Name, $"its type changed: the table stores {column.Type}, the dataset now declares {definition.Type} ({expectedType})");
            }

            if (column.NotNull == definition.Nullable)
            {
                throw incompatible(column.Name, $"its nullability changed: the table has {(column.NotNull ? "NOT NULL" : "NULL")}, the dataset now declares nullable: {(definition.Nullable ? "true" : "false")}");
            }
        }

        var tableKey = existing.Where(c => c.KeyPosition > 0).OrderBy(c => c.KeyPosition).Select(c => c.Name).ToArray();
        var expectedKey = keyOrdinals.Select(o => dataset.Columns[o].Name).ToArray();
        if (!tableKey.SequenceEqual(expectedKey, StringComparer.Ordinal))
        {
            throw incompatible(string.Join(",", expectedKey), $"the primary key changed: the table has ({string.Join(", ", tableKey)}), the dataset needs ({string.Join(", ", expectedKey)})");
        }

        var missing = dataset.Columns.Where(c => !existing.Any(e => e.Name == c.Name)).ToArray();
        foreach (var column in missing.Where(c => !c.Nullable))
        {
            throw incompatible(column.Name, "the dataset added it as NOT NULL, which existing rows cannot satisfy; only nullable columns can be added in place");
        }

        return missing;
    }
}
