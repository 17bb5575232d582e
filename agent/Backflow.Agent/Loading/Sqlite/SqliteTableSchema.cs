using Microsoft.Data.Sqlite;

namespace Backflow.Agent.Loading.Sqlite;

/// <summary>
/// Creates a dataset's table on first use and evolves it in the one way that needs no reload: appending nullable
/// columns (old rows read null, and trailing nulls leave their checksum terms unchanged). Every other difference
/// is refused with a message naming the column, because silently reshaping a county's table could lose data.
/// </summary>
internal static class SqliteTableSchema
{
    private sealed record TableColumn(string Name, string Type, bool NotNull, int KeyPosition);

    public static async Task EnsureAsync(SqliteConnection connection, SqliteTransaction transaction, SqliteTableLayout layout, CancellationToken ct)
    {
        var existing = await ReadColumnsAsync(connection, transaction, layout.Table, ct);
        if (existing.Count == 0)
        {
            await ExecuteAsync(connection, transaction, layout.Create, ct);
            return;
        }

        var dataset = layout.Dataset;
        foreach (var column in existing)
        {
            var ordinal = dataset.OrdinalOf(column.Name);
            if (ordinal < 0)
            {
                throw Incompatible(layout, column.Name, "the table has this column but the dataset no longer does (a removed or renamed column is a breaking change)");
            }

            var definition = dataset.Columns[ordinal];
            var expectedType = SqliteValueMapper.DeclaredType(definition.Type);
            if (!string.Equals(column.Type, expectedType, StringComparison.OrdinalIgnoreCase))
            {
                throw Incompatible(layout, column.Name, $"its type changed: the table stores {column.Type}, the dataset now declares {definition.Type} ({expectedType})");
            }

            if (column.NotNull == definition.Nullable)
            {
                throw Incompatible(layout, column.Name, $"its nullability changed: the table has {(column.NotNull ? "NOT NULL" : "NULL")}, the dataset now declares nullable: {(definition.Nullable ? "true" : "false")}");
            }
        }

        var tableKey = existing.Where(c => c.KeyPosition > 0).OrderBy(c => c.KeyPosition).Select(c => c.Name).ToArray();
        var expectedKey = layout.KeyOrdinals.Select(o => dataset.Columns[o].Name).ToArray();
        if (!tableKey.SequenceEqual(expectedKey, StringComparer.Ordinal))
        {
            throw Incompatible(layout, string.Join(",", expectedKey), $"the primary key changed: the table has ({string.Join(", ", tableKey)}), the dataset needs ({string.Join(", ", expectedKey)})");
        }

        foreach (var column in dataset.Columns.Where(c => !existing.Any(e => e.Name == c.Name)))
        {
            if (!column.Nullable)
            {
                throw Incompatible(layout, column.Name, "the dataset added it as NOT NULL, which existing rows cannot satisfy; only nullable columns can be added in place");
            }

            await ExecuteAsync(connection, transaction, $"ALTER TABLE {SqliteIdentifiers.Quote(layout.Table)} ADD COLUMN {SqliteTableLayout.ColumnDefinitionSql(column)}", ct);
        }
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

    private static InvalidOperationException Incompatible(SqliteTableLayout layout, string column, string why) =>
        new($"table '{layout.Table}' cannot hold dataset '{layout.Dataset.Id}' (schema {layout.Dataset.SchemaHash}): column '{column}': {why}. "
            + "The server must re-base the region (new generation); then load its snapshot into a fresh table, e.g. after renaming or dropping the old one.");
}
