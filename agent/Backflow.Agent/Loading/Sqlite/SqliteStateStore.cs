using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Backflow.Agent.Loading.Sqlite;

/// <summary>SQL for Backflow's own tables: applied positions, run history and feed health.</summary>
internal static class SqliteStateStore
{
    public const string StateTable = "backflow_state";
    public const string RunsTable = "backflow_runs";
    public const string HealthTable = "backflow_feed_health";

    public const string CreateTables = """
        CREATE TABLE IF NOT EXISTS backflow_state (
            dataset TEXT NOT NULL,
            region TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            generation INTEGER NOT NULL,
            schema_hash TEXT NOT NULL,
            row_count INTEGER NOT NULL,
            checksum TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            PRIMARY KEY (dataset, region));
        CREATE TABLE IF NOT EXISTS backflow_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            dataset TEXT NOT NULL,
            region TEXT NOT NULL,
            from_sequence INTEGER NOT NULL,
            to_sequence INTEGER NOT NULL,
            rows INTEGER NOT NULL,
            duration_ms INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            error TEXT,
            started_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS backflow_runs_by_dataset ON backflow_runs (dataset, id);
        CREATE TABLE IF NOT EXISTS backflow_feed_health (
            dataset TEXT NOT NULL,
            region TEXT NOT NULL,
            latest_known_sequence INTEGER NOT NULL,
            consecutive_failures INTEGER NOT NULL,
            blocked INTEGER NOT NULL,
            last_error TEXT,
            last_error_at TEXT,
            last_success_at TEXT,
            last_attempt_at TEXT,
            diverged INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (dataset, region));
        """;

    /// <summary>
    /// Brings a health table created before <c>diverged</c> existed up to date, in place: adds the column and marks the
    /// feeds that older agents marked diverged by the <c>LocalCopyDiverged:</c> prefix of their last error, so that
    /// a county blocked before the upgrade stays blocked until it repairs.
    /// </summary>
    public const string MigrateHealthDiverged = """
        ALTER TABLE backflow_feed_health ADD COLUMN diverged INTEGER NOT NULL DEFAULT 0;
        UPDATE backflow_feed_health SET diverged = 1 WHERE blocked = 1 AND last_error LIKE 'LocalCopyDiverged:%';
        """;

    private const string PositionColumns = "dataset, region, sequence, generation, schema_hash, row_count, checksum, applied_at";
    private const string RunColumns = "dataset, region, from_sequence, to_sequence, rows, duration_ms, outcome, error, started_at";
    private const string HealthColumns = "dataset, region, latest_known_sequence, consecutive_failures, blocked, last_error, last_error_at, last_success_at, last_attempt_at, diverged";

    /// <summary>Applies the in-place migrations an older agent database needs; each runs once, in one transaction.</summary>
    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken ct)
    {
        if (await HasDivergedColumnAsync(connection, null, ct))
        {
            return;
        }

        // IMMEDIATE and a second look: an agent service and a `status` started together must not both add the column.
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (!await HasDivergedColumnAsync(connection, transaction, ct))
        {
            await using var migrate = Command(connection, transaction, MigrateHealthDiverged);
            await migrate.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    private static async Task<bool> HasDivergedColumnAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken ct)
    {
        await using var check = Command(connection, transaction, "SELECT COUNT(*) FROM pragma_table_info('backflow_feed_health') WHERE name = 'diverged'");
        return (long)(await check.ExecuteScalarAsync(ct))! > 0;
    }

    public static async Task<FeedPosition?> GetPositionAsync(SqliteConnection connection, SqliteTransaction? transaction, string dataset, string region, CancellationToken ct)
    {
        await using var command = Command(connection, transaction, $"SELECT {PositionColumns} FROM backflow_state WHERE dataset = $d AND region = $r", ("$d", dataset), ("$r", region));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadPosition(reader) : null;
    }

    public static async Task<IReadOnlyList<FeedPosition>> ListPositionsAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using var command = Command(connection, null, $"SELECT {PositionColumns} FROM backflow_state ORDER BY dataset, region");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var positions = new List<FeedPosition>();
        while (await reader.ReadAsync(ct))
        {
            positions.Add(ReadPosition(reader));
        }

        return positions;
    }

    public static async Task SavePositionAsync(SqliteConnection connection, SqliteTransaction transaction, FeedPosition p, CancellationToken ct)
    {
        await using var command = Command(
            connection,
            transaction,
            $"INSERT OR REPLACE INTO backflow_state ({PositionColumns}) VALUES ($d, $r, $s, $g, $h, $n, $c, $a)",
            ("$d", p.Dataset), ("$r", p.Region), ("$s", p.Sequence), ("$g", p.Generation), ("$h", p.SchemaHash), ("$n", p.RowCount), ("$c", p.Checksum), ("$a", Time(p.AppliedAt)));
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task AppendRunAsync(SqliteConnection connection, RunRecord run, CancellationToken ct)
    {
        await using var command = Command(
            connection,
            null,
            $"INSERT INTO backflow_runs ({RunColumns}) VALUES ($d, $r, $f, $t, $n, $ms, $o, $e, $at)",
            ("$d", run.Dataset), ("$r", run.Region), ("$f", run.FromSequence), ("$t", run.ToSequence), ("$n", run.Rows), ("$ms", run.DurationMs), ("$o", run.Outcome), ("$e", run.Error), ("$at", Time(run.StartedAt)));
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<IReadOnlyList<RunRecord>> RecentRunsAsync(SqliteConnection connection, string? dataset, int limit, CancellationToken ct)
    {
        var filter = dataset is null ? string.Empty : "WHERE dataset = $d ";
        await using var command = Command(connection, null, $"SELECT {RunColumns} FROM backflow_runs {filter}ORDER BY id DESC LIMIT $limit", ("$d", dataset), ("$limit", limit));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var runs = new List<RunRecord>();
        while (await reader.ReadAsync(ct))
        {
            runs.Add(new RunRecord(
                reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
                reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), ParseTime(reader.GetString(8))));
        }

        return runs;
    }

    public static async Task<IReadOnlyList<FeedHealth>> ListHealthAsync(SqliteConnection connection, string? dataset, string? region, CancellationToken ct)
    {
        var filter = dataset is null ? string.Empty : "WHERE dataset = $d AND region = $r ";
        await using var command = Command(connection, null, $"SELECT {HealthColumns} FROM backflow_feed_health {filter}ORDER BY dataset, region", ("$d", dataset), ("$r", region));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var health = new List<FeedHealth>();
        while (await reader.ReadAsync(ct))
        {
            health.Add(new FeedHealth(
                reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt64(4) != 0,
                reader.IsDBNull(5) ? null : reader.GetString(5), OptionalTime(reader, 6), OptionalTime(reader, 7), OptionalTime(reader, 8), reader.GetInt64(9) != 0));
        }

        return health;
    }

    public static async Task SaveHealthAsync(SqliteConnection connection, FeedHealth h, CancellationToken ct)
    {
        await using var command = Command(
            connection,
            null,
            $"INSERT OR REPLACE INTO backflow_feed_health ({HealthColumns}) VALUES ($d, $r, $l, $f, $b, $e, $ea, $sa, $aa, $dv)",
            ("$d", h.Dataset), ("$r", h.Region), ("$l", h.LatestKnownSequence), ("$f", h.ConsecutiveFailures), ("$b", h.Blocked ? 1L : 0L),
            ("$e", h.LastError), ("$ea", OptionalTime(h.LastErrorAt)), ("$sa", OptionalTime(h.LastSuccessAt)), ("$aa", OptionalTime(h.LastAttemptAt)),
            ("$dv", h.Diverged ? 1L : 0L));
        await command.ExecuteNonQueryAsync(ct);
    }

    private static FeedPosition ReadPosition(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetString(4),
        reader.GetInt64(5), reader.GetString(6), ParseTime(reader.GetString(7)));

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    // Round-trip ("O") text in UTC: sortable, exact to the tick, and readable in sqlite3.
    private static string Time(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static string? OptionalTime(DateTimeOffset? value) => value is { } v ? Time(v) : null;

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static DateTimeOffset? OptionalTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ParseTime(reader.GetString(ordinal));
}
