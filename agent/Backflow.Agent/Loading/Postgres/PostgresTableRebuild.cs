using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Backflow.Agent.Loading.Sqlite;
using Npgsql;

namespace Backflow.Agent.Loading.Postgres;

/// <summary>
/// Rebuilds a dataset's table under a new schema inside the transaction that loads the first snapshot of a new
/// generation, as <see cref="SqliteTableRebuild"/> does on SQLite (read its remarks for why other regions' rows wait in
/// the set-aside table): the old table is renamed <c>&lt;table&gt;__replaced_&lt;UTC time&gt;</c>, a new one is created
/// and the snapshot loaded, all or nothing.
/// </summary>
/// <remarks>
/// PostgreSQL names differ from SQLite's in two ways that matter here: an identifier is at most 63 bytes (longer ones
/// are cut silently, so the table part of the set-aside name is cut on purpose and the same way every time), and the
/// primary key's index keeps its name when the table is renamed — it is renamed too, or the new table's key would
/// collide with it.
/// </remarks>
internal static class PostgresTableRebuild
{
    private const int MaxIdentifierBytes = 63;
    private const string Marker = "__replaced_";
    private const string TimeFormat = "yyyyMMdd'T'HHmmssfff";

    /// <summary>Renames the table (and its key) aside and forgets the positions of the dataset's other regions.</summary>
    /// <returns>The name the old table now has.</returns>
    public static async Task<string> SetAsideAsync(NpgsqlConnection connection, PostgresTableLayout layout, string stateTable, string region, DateTimeOffset now, CancellationToken ct)
    {
        var stamp = AsidePrefix(layout.Table) + now.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
        var aside = stamp;

        // Two re-bases within one millisecond (or a clock set back) must not collide with a set-aside table still waiting.
        for (var n = 2; await ExistsAsync(connection, layout.Schema, aside, ct); n++)
        {
            aside = stamp[..^1] + "_" + n.ToString(CultureInfo.InvariantCulture);
        }

        var quotedAside = $"{SqlIdentifiers.Quote(layout.Schema)}.{SqlIdentifiers.Quote(aside)}";
        await ExecuteAsync(connection, $"ALTER TABLE {layout.QualifiedTable} RENAME TO {SqlIdentifiers.Quote(aside)}", ct);

        string? key;
        await using (var find = new NpgsqlCommand("SELECT conname FROM pg_catalog.pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'", connection))
        {
            find.Parameters.AddWithValue(quotedAside);
            key = (string?)await find.ExecuteScalarAsync(ct);
        }

        if (key is not null)
        {
            var newKey = "backflow_pk_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(aside)))[..32];
            await ExecuteAsync(connection, $"ALTER TABLE {quotedAside} RENAME CONSTRAINT {SqlIdentifiers.Quote(key)} TO {SqlIdentifiers.Quote(newKey)}", ct);
        }

        // Every other region, not only those with rows aside: an empty region reloads its (empty) snapshot cheaply, and
        // the region column itself may be what changed.
        await ExecuteAsync(connection, $"DELETE FROM {stateTable} WHERE dataset = $1 AND region <> $2", ct, layout.Dataset.Id, region);
        return aside;
    }

    /// <summary>Removes <paramref name="region"/>'s old rows from every set-aside table of the dataset's table (its snapshot
    /// is being loaded into the live one) and drops the set-aside tables left empty.</summary>
    public static async Task ReleaseAsync(NpgsqlConnection connection, PostgresTableLayout layout, string region, CancellationToken ct)
    {
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            """
            SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind = 'r' AND left(c.relname, length($2)) = $2
              AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attname = $3 AND a.attnum > 0 AND NOT a.attisdropped)
            ORDER BY c.relname
            """,
            connection))
        {
            // Only set-aside tables that still have the region column: one from before a region column change is left
            // for the operator to drop, rather than guessed at.
            list.Parameters.AddWithValue(layout.Schema);
            list.Parameters.AddWithValue(AsidePrefix(layout.Table));
            list.Parameters.AddWithValue(layout.Dataset.RegionColumn);
            await using var reader = await list.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var regionColumn = SqlIdentifiers.Quote(layout.Dataset.RegionColumn);
        foreach (var table in tables)
        {
            var quoted = $"{SqlIdentifiers.Quote(layout.Schema)}.{SqlIdentifiers.Quote(table)}";

            // ::text: the set-aside table may predate a change of the region column's type.
            await ExecuteAsync(connection, $"DELETE FROM {quoted} WHERE {regionColumn}::text = $1", ct, region);
            await using var any = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {quoted})", connection);
            if (!(bool)(await any.ExecuteScalarAsync(ct))!)
            {
                await ExecuteAsync(connection, $"DROP TABLE {quoted}", ct);
            }
        }
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string schema, string table, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2)",
            connection);
        command.Parameters.AddWithValue(schema);
        command.Parameters.AddWithValue(table);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The set-aside name without its time: the table name, cut so that the whole name fits in 63 bytes.</summary>
    private static string AsidePrefix(string table)
    {
        var room = MaxIdentifierBytes - Marker.Length - TimeFormat.Replace("'", string.Empty, StringComparison.Ordinal).Length;
        var cut = table;
        while (Encoding.UTF8.GetByteCount(cut) > room)
        {
            cut = cut[..^1];
        }

        return cut + Marker;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        await command.ExecuteNonQueryAsync(ct);
    }
}
