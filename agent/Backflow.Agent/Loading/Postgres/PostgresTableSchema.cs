using Npgsql;

namespace Backflow.Agent.Loading.Postgres;

/// <summary>
/// Creates a dataset's table on first use and evolves it as <see cref="TableShape"/> allows: nullable columns are
/// added in place, every other difference is refused with a message naming the column; only the snapshot of a new
/// generation rebuilds the table (<see cref="PostgresTableRebuild"/>).
/// </summary>
/// <remarks>
/// DDL takes a transaction-scoped advisory lock on the table, so two regions of one
/// dataset applied at once do not both try to create (or alter) it; an apply that finds the table as it needs it
/// takes no lock and keeps running in parallel with the other regions' applies.
/// </remarks>
internal static class PostgresTableSchema
{
    private const string ReadColumnsSql = """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               coalesce((SELECT k.n FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) WHERE k.attnum = a.attnum), 0)::int
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
        JOIN pg_catalog.pg_namespace ns ON ns.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND i.indisprimary
        WHERE ns.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """;

    /// <exception cref="TableIncompatibleException">The table exists and differs in more than appended nullable columns.</exception>
    public static async Task EnsureAsync(NpgsqlConnection connection, PostgresTableLayout layout, CancellationToken ct)
    {
        var existing = await ReadColumnsAsync(connection, layout, ct);
        if (existing.Count > 0 && Statements(layout, existing).Count == 0)
        {
            return;
        }

        // Something to do: take the table's DDL lock, then look again (READ COMMITTED: a concurrent apply may just
        // have committed the very change this one was about to make).
        await PostgresConnections.LockAsync(connection, $"backflow.table:{layout.Schema}.{layout.Table}", ct);
        existing = await ReadColumnsAsync(connection, layout, ct);
        var statements = existing.Count == 0 ? [layout.Create] : Statements(layout, existing);
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Why the existing table cannot hold the dataset in place (naming the column), or null when it can or does not exist.</summary>
    public static async Task<string?> IncompatibilityAsync(NpgsqlConnection connection, PostgresTableLayout layout, CancellationToken ct)
    {
        var existing = await ReadColumnsAsync(connection, layout, ct);
        return existing.Count == 0 ? null : Check(layout, existing);
    }

    /// <summary>True when the table exists.</summary>
    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, PostgresTableLayout layout, CancellationToken ct) =>
        (await ReadColumnsAsync(connection, layout, ct)).Count > 0;

    private static string? Check(PostgresTableLayout layout, List<StoredColumn> existing) =>
        TableShape.Incompatibility($"{layout.Schema}.{layout.Table}", layout.Dataset, layout.KeyOrdinals, existing, PostgresValueMapper.DeclaredType);

    /// <summary>The statements that bring an existing table to the dataset's shape.</summary>
    /// <exception cref="TableIncompatibleException">None can.</exception>
    private static List<string> Statements(PostgresTableLayout layout, List<StoredColumn> existing) =>
        Check(layout, existing) is { } problem
            ? throw new TableIncompatibleException(problem)
            : [.. TableShape.MissingColumns(layout.Dataset, existing)
                .Select(column => $"ALTER TABLE {layout.QualifiedTable} ADD COLUMN {PostgresTableLayout.ColumnDefinitionSql(column)}")];

    private static async Task<List<StoredColumn>> ReadColumnsAsync(NpgsqlConnection connection, PostgresTableLayout layout, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(ReadColumnsSql, connection);
        command.Parameters.AddWithValue(layout.Schema);
        command.Parameters.AddWithValue(layout.Table);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var columns = new List<StoredColumn>();
        while (await reader.ReadAsync(ct))
        {
            columns.Add(new StoredColumn(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.GetInt32(3)));
        }

        return columns;
    }
}
