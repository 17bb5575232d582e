using Microsoft.Data.Sqlite;

namespace Backflow.Agent.Loading.Sqlite;

/// <summary>
/// Creates a dataset's table on first use and evolves it in the one way that needs no reload: appending nullable
/// columns (old rows read null, and trailing nulls leave their checksum terms unchanged). Every other difference
/// is refused with a message naming the column, because silently reshaping a county's table could lose data; only
/// the snapshot of a new generation rebuilds the table (<see cref="SqliteTableRebuild"/>).
/// </summary>
internal static class SqliteTableSchema
{
    private sealed record TableColumn(string Name, string Type, bool NotNull, int KeyPosition);

    /// <exception cref="TableIncompatibleException">The table exists and differs in more than appended nullable columns.</exception>
    public static async Task EnsureAsync(SqliteConnection connection, SqliteTransaction transaction, SqliteTableLayout layout, CancellationToken ct)
    {
        var existing = await ReadColumnsAsync(connection, transaction, layout.Table, ct);
        if (existing.Count == 0)
        {
            await ExecuteAsync(connection, transaction, layout.Create, ct);
            return;
        }

        if (Check(existing, layout) is { } problem)
        {
            throw new TableIncompatibleException(problem);
        }

        foreach (var column in layout.Dataset.Columns.Where(c => !existing.Any(e => e.Name == c.Name)))
        {
            await ExecuteAsync(connection, transaction, $"ALTER TABLE {SqliteIdentifiers.Quote(layout.Table)} ADD COLUMN {SqliteTableLayout.ColumnDefinitionSql(column)}", ct);
        }
    }

    /// <summary>Why the existing table cannot hold the dataset in place (naming the column), or null when it can or does not exist.</summary>
    public static async Task<string?> IncompatibilityAsync(SqliteConnection connection, SqliteTransaction transaction, SqliteTableLayout layout, CancellationToken ct)
    {
        var existing = await ReadColumnsAsync(connection, transaction, layout.Table, ct);
        return existing.Count == 0 ? null : Check(existing, layout);
    }

    private static string? Check(List<TableColumn> existing, SqliteTableLayout layout)
    {
        var dataset = layout.Dataset;
        foreach (var column in existing)
        {
            var ordinal = dataset.OrdinalOf(column.Name);
            if (ordinal < 0)
            {
                return Incompatible(layout, column.Name, "the table has this column but the dataset no longer does (a removed or renamed column is a breaking change)");
            }

            var definition = dataset.Columns[ordinal];
            var expectedType = SqliteValueMapper.DeclaredType(definition.Type);
            if (!string.Equals(column.Type, expectedType, StringComparison.OrdinalIgnoreCase))
            {
                return Incompatible(layout, column.Name, $"its type changed: the table stores {column.Type}, the dataset now declares {definition.Type} ({expectedType})");
            }

            if (column.NotNull == definition.Nullable)
            {
                return Incompatible(layout, column.Name, $"its nullability changed: the table has {(column.NotNull ? "NOT NULL" : "NULL")}, the dataset now declares nullable: {(definition.Nullable ? "true" : "false")}");
            }
        }

        var tableKey = existing.Where(c => c.KeyPosition > 0).OrderBy(c => c.KeyPosition).Select(c => c.Name).ToArray();
        var expectedKey = layout.KeyOrdinals.Select(o => dataset.Columns[o].Name).ToArray();
        if (!tableKey.SequenceEqual(expectedKey, StringComparer.Ordinal))
        {
            return Incompatible(layout, string.Join(",", expectedKey), $"the primary key changed: the table has ({string.Join(", ", tableKey)}), the dataset needs ({string.Join(", ", expectedKey)})");
        }

        var added = dataset.Columns.FirstOrDefault(c => !c.Nullable && !existing.Any(e => e.Name == c.Name));
        return added is null
            ? null
            : Incompatible(layout, added.Name, "the dataset added it as NOT NULL, which existing rows cannot satisfy; only nullable columns can be added in place");
    }

    /// <summary>True when the table exists.</summary>
    public static async Task<bool> ExistsAsync(SqliteConnection connection, string table, CancellationToken ct) =>
        (await ReadColumnsAsync(connection, null, table, ct)).Count > 0;

    private static async Task<List<TableColumn>> ReadColumnsAsync(SqliteConnection connection, SqliteTransaction? transaction, string table, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name, type, \"notnull\", pk FROM pragma_table_info($table)";
        command.Parameters.AddWithValue("$table", table);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var columns = new List<TableColumn>();
        while (await reader.ReadAsync(ct))
        {
            columns.Add(new TableColumn(reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0, reader.GetInt32(3)));
        }

        return columns;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string Incompatible(SqliteTableLayout layout, string column, string why) =>
        $"table '{layout.Table}' cannot hold dataset '{layout.Dataset.Id}' (schema {layout.Dataset.SchemaHash}): column '{column}': {why}. "
        + "Nothing was applied. The agent rebuilds the table itself from the snapshot of a re-base (a new generation, `backflow-server rebase` "
        + "on the server); until then this feed stays blocked.";
}
