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
            PRIMARY KEY (dataset, region));
        """;

    private const string PositionColumns = "dataset, region, sequence, generation, schema_hash, row_count, checksum, applied_at";
    private const string RunColumns = "dataset, region, from_sequence, to_sequence, rows, duration_ms, outcome, error, started_at";
    private const string HealthColumns = "dataset, region, latest_known_sequence, consecutive_failures, blocked, last_error, last_error_at, last_success_at, last_attempt_at";

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
                reader.IsDBNull(5) ? null : reader.GetString(5), OptionalTime(reader, 6), OptionalTime(reader, 7), OptionalTime(reader, 8)));
        }

        return health;
    }

    public static async Task SaveHealthAsync(SqliteConnection connection, FeedHealth h, CancellationToken ct)
    {
        await using var command = Command(
            connection,
            null,
            $"INSERT OR REPLACE INTO backflow_feed_health ({HealthColumns}) VALUES ($d, $r, $l, $f, $b, $e, $ea, $sa, $aa)",
            ("$d", h.Dataset), ("$r", h.Region), ("$l", h.LatestKnownSequence), ("$f", h.ConsecutiveFailures), ("$b", h.Blocked ? 1L : 0L),
            ("$e", h.LastError), ("$ea", OptionalTime(h.LastErrorAt)), ("$sa", OptionalTime(h.LastSuccessAt)), ("$aa", OptionalTime(h.LastAttemptAt)));
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
