using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Backflow.Agent.Loading.Sqlite;

/// <summary>
/// Rebuilds a dataset's table under a new schema, inside the transaction that loads the first snapshot of a new
/// generation: the old table is renamed aside (<c>&lt;table&gt;__replaced_&lt;UTC time&gt;</c>), a new one is created
/// and the snapshot loaded into it, all or nothing — if anything fails the rename rolls back with the rest and the
/// county keeps its old table and rows.
/// </summary>
/// <remarks>
/// One table holds every region the agent has of a dataset, but a sync loads one region's snapshot at a time. The
/// rows of the other regions cannot be converted here (a changed type or key has no general mapping), and dropping
/// them would lose data silently; so they stay in the set-aside table, their applied positions are forgotten (they
/// are no longer in the live table, and <c>verify</c> must not compare them with it; the next sync bootstraps them
/// from their latest snapshot), and each region's own
/// new-generation snapshot — normally in the same sync — loads it into the new table and removes its old rows from
/// the set-aside one, which is dropped once empty.
/// </remarks>
internal static class SqliteTableRebuild
{
    private const string Marker = "__replaced_";

    /// <summary>Renames the table aside and forgets the positions of the dataset's other regions.</summary>
    /// <returns>The name the old table now has.</returns>
    public static async Task<string> SetAsideAsync(
        SqliteConnection connection, SqliteTransaction transaction, SqliteTableLayout layout, string region, DateTimeOffset now, CancellationToken ct)
    {
        var stamp = layout.Table + Marker + now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture);
        var aside = stamp;

        // Two re-bases within one millisecond (or a clock set back) must not collide with a set-aside table still waiting.
        for (var n = 2; await SqliteTableSchema.ExistsAsync(connection, aside, ct, transaction); n++)
        {
            aside = stamp + "_" + n.ToString(CultureInfo.InvariantCulture);
        }

        await ExecuteAsync(connection, transaction, $"ALTER TABLE {SqlIdentifiers.Quote(layout.Table)} RENAME TO {SqlIdentifiers.Quote(aside)}", ct);
        // Every other region, not only those with rows aside: an empty region reloads its (empty) snapshot cheaply, and the
        // region column itself may be what changed.
        await ExecuteAsync(
            connection,
            transaction,
            $"DELETE FROM {SqliteStateStore.StateTable} WHERE dataset = $dataset AND region <> $region",
            ct,
            ("$dataset", layout.Dataset.Id),
            ("$region", region));
        return aside;
    }

    /// <summary>Removes <paramref name="region"/>'s old rows from every set-aside table of the dataset's table (its snapshot
    /// is being loaded into the live one) and drops the set-aside tables left empty.</summary>
    public static async Task ReleaseAsync(SqliteConnection connection, SqliteTransaction transaction, SqliteTableLayout layout, string region, CancellationToken ct)
    {
        var prefix = layout.Table + Marker;
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.Transaction = transaction;
            // Only set-aside tables that still have the region column: one from before a region column change is left
            // for the operator to drop, rather than guessed at.
            list.CommandText = """
                SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND substr(m.name, 1, length($prefix)) = $prefix
                AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = $column) ORDER BY m.name
                """;
            list.Parameters.AddWithValue("$prefix", prefix);
            list.Parameters.AddWithValue("$column", layout.Dataset.RegionColumn);
            await using var reader = await list.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var regionColumn = SqlIdentifiers.Quote(layout.Dataset.RegionColumn);
        foreach (var table in tables)
        {
            var quoted = SqlIdentifiers.Quote(table);
            await ExecuteAsync(connection, transaction, $"DELETE FROM {quoted} WHERE {regionColumn} = $region", ct, ("$region", region));
            await using var any = connection.CreateCommand();
            any.Transaction = transaction;
            any.CommandText = $"SELECT EXISTS (SELECT 1 FROM {quoted})";
            if ((long)(await any.ExecuteScalarAsync(ct))! == 0)
            {
                await ExecuteAsync(connection, transaction, $"DROP TABLE {quoted}", ct);
            }
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(ct);
    }
}
