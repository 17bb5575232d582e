using Microsoft.Data.Sqlite;

namespace Backflow.Agent.Loading.Sqlite;

/// <summary>
/// Creates a dataset's table on first use and evolves it as <see cref="TableShape"/> allows: nullable columns are
/// added in place, every other difference is refused with a message naming the column; only the snapshot of a new
/// generation rebuilds the table (<see cref="SqliteTableRebuild"/>).
/// </summary>
internal static class SqliteTableSchema
{
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

        foreach (var column in TableShape.MissingColumns(layout.Dataset, existing))
        {
            await ExecuteAsync(connection, transaction, $"ALTER TABLE {SqlIdentifiers.Quote(layout.Table)} ADD COLUMN {SqliteTableLayout.ColumnDefinitionSql(column)}", ct);
        }
    }

    /// <summary>Why the existing table cannot hold the dataset in place (naming the column), or null when it can or does not exist.</summary>
    public static async Task<string?> IncompatibilityAsync(SqliteConnection connection, SqliteTransaction transaction, SqliteTableLayout layout, CancellationToken ct)
    {
        var existing = await ReadColumnsAsync(connection, transaction, layout.Table, ct);
        return existing.Count == 0 ? null : Check(existing, layout);
    }

    /// <summary>True when the table exists.</summary>
    public static async Task<bool> ExistsAsync(SqliteConnection connection, string table, CancellationToken ct, SqliteTransaction? transaction = null) =>
        (await ReadColumnsAsync(connection, transaction, table, ct)).Count > 0;

    private static string? Check(List<StoredColumn> existing, SqliteTableLayout layout) =>
        TableShape.Incompatibility(layout.Table, layout.Dataset, layout.KeyOrdinals, existing, SqliteValueMapper.DeclaredType);

    private static async Task<List<StoredColumn>> ReadColumnsAsync(SqliteConnection connection, SqliteTransaction? transaction, string table, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name, type, \"notnull\", pk FROM pragma_table_info($table)";
        command.Parameters.AddWithValue("$table", table);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var columns = new List<StoredColumn>();
        while (await reader.ReadAsync(ct))
        {
            columns.Add(new StoredColumn(reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0, reader.GetInt32(3)));
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
}
