using Backflow.Protocol.Catalog;

namespace Backflow.Agent.Loading;

/// <summary>
/// Decides whether an existing table can hold a dataset, whatever the database: the only change made in place is
/// adding nullable columns (old rows read null, and trailing nulls leave their checksum terms unchanged). Every other
/// difference is reported, naming the column and why, because silently reshaping a county's table could lose data;
/// only the first snapshot of a new generation (a re-base) rebuilds the table.
/// </summary>
internal static class TableShape
{
    /// <summary>Why the table cannot hold the dataset in place, or null when it can.</summary>
    /// <param name="table">The table's name as the county sees it, for the message.</param>
    /// <param name="keyOrdinals">The stored primary key's column ordinals, in key order.</param>
    /// <param name="declaredType">The type the target declares for a logical type, as <paramref name="existing"/> spells it.</param>
    public static string? Incompatibility(
        string table,
        DatasetDefinition dataset,
        IReadOnlyList<int> keyOrdinals,
        IReadOnlyList<StoredColumn> existing,
        Func<LogicalType, string> declaredType) =>
        Problem(dataset, keyOrdinals, existing, declaredType) is var (column, why)
            ? $"table '{table}' cannot hold dataset '{dataset.Id}' (schema {dataset.SchemaHash}): column '{column}': {why}. "
              + "Nothing was applied. The agent rebuilds the table itself from the snapshot of a re-base (a new generation, `backflow-server rebase` "
              + "on the server); until then this feed stays blocked."
            : null;

    /// <summary>The dataset's columns the table lacks; when <see cref="Incompatibility"/> is null they are all nullable.</summary>
    public static IReadOnlyList<ColumnDefinition> MissingColumns(DatasetDefinition dataset, IReadOnlyList<StoredColumn> existing) =>
        [.. dataset.Columns.Where(c => !existing.Any(e => e.Name == c.Name))];

    private static (string Column, string Why)? Problem(
        DatasetDefinition dataset, IReadOnlyList<int> keyOrdinals, IReadOnlyList<StoredColumn> existing, Func<LogicalType, string> declaredType)
    {
        foreach (var column in existing)
        {
            var ordinal = dataset.OrdinalOf(column.Name);
            if (ordinal < 0)
            {
                return (column.Name, "the table has this column but the dataset no longer does (a removed or renamed column is a breaking change)");
            }

            var definition = dataset.Columns[ordinal];
            var expectedType = declaredType(definition.Type);
            if (!string.Equals(column.Type, expectedType, StringComparison.OrdinalIgnoreCase))
            {
                return (column.Name, $"its type changed: the table stores {column.Type}, the dataset now declares {definition.Type} ({expectedType})");
            }

            if (column.NotNull == definition.Nullable)
            {
                return (column.Name, $"its nullability changed: the table has {(column.NotNull ? "NOT NULL" : "NULL")}, the dataset now declares nullable: {(definition.Nullable ? "true" : "false")}");
            }
        }

        var tableKey = existing.Where(c => c.KeyPosition > 0).OrderBy(c => c.KeyPosition).Select(c => c.Name).ToArray();
        var expectedKey = keyOrdinals.Select(o => dataset.Columns[o].Name).ToArray();
        if (!tableKey.SequenceEqual(expectedKey, StringComparer.Ordinal))
        {
            return (string.Join(",", expectedKey), $"the primary key changed: the table has ({string.Join(", ", tableKey)}), the dataset needs ({string.Join(", ", expectedKey)})");
        }

        var added = MissingColumns(dataset, existing).FirstOrDefault(c => !c.Nullable);
        return added is null
            ? null
            : (added.Name, "the dataset added it as NOT NULL, which existing rows cannot satisfy; only nullable columns can be added in place");
    }
}
