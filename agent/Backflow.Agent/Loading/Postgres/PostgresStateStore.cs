using Npgsql;

namespace Backflow.Agent.Loading.Postgres;

/// <summary>
/// SQL for Backflow's own tables in PostgreSQL: the same tables, columns and meaning as on SQLite
/// (<see cref="Sqlite.SqliteStateStore"/>), with native types. Times are <c>timestamp with time zone</c>, so they
/// keep microseconds (not the 100 ns ticks of a <see cref="DateTimeOffset"/>) and always read back in UTC.
/// </summary>
internal sealed class PostgresStateStore(string schema)
{
    private const string PositionColumns = "dataset, region, sequence, generation, schema_hash, row_count, checksum, applied_at";
    private const string RunColumns = "dataset, region, from_sequence, to_sequence, rows, duration_ms, outcome, error, started_at";
    private const string HealthColumns = "dataset, region, latest_known_sequence, consecutive_failures, blocked, last_error, last_error_at, last_success_at, last_attempt_at, diverged";

    private readonly string _s = SqlIdentifiers.Quote(schema) + ".";

    public string CreateTables => $"""
        CREATE TABLE IF NOT EXISTS {_s}backflow_state (
            dataset text NOT NULL,
            region text NOT NULL,
            sequence bigint NOT NULL,
            generation integer NOT NULL,
            schema_hash text NOT NULL,
            row_count bigint NOT NULL,
            checksum text NOT NULL,
            applied_at timestamp with time zone NOT NULL,
            PRIMARY KEY (dataset, region));
        CREATE TABLE IF NOT EXISTS {_s}backflow_runs (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            dataset text NOT NULL,
            region text NOT NULL,
            from_sequence bigint NOT NULL,
            to_sequence bigint NOT NULL,
            rows bigint NOT NULL,
            duration_ms bigint NOT NULL,
            outcome text NOT NULL,
            error text,
            started_at timestamp with time zone NOT NULL);
        CREATE INDEX IF NOT EXISTS backflow_runs_by_dataset ON {_s}backflow_runs (dataset, id);
        CREATE TABLE IF NOT EXISTS {_s}backflow_feed_health (
            dataset text NOT NULL,
            region text NOT NULL,
            latest_known_sequence bigint NOT NULL,
            consecutive_failures integer NOT NULL,
            blocked boolean NOT NULL,
            last_error text,
            last_error_at timestamp with time zone,
            last_success_at timestamp with time zone,
            last_attempt_at timestamp with time zone,
            diverged boolean NOT NULL DEFAULT false,
            PRIMARY KEY (dataset, region));
        """;

    /// <summary>The qualified name of <c>backflow_state</c>, for statements that other types build.</summary>
    public string StateTable => _s + "backflow_state";

    public async Task<FeedPosition?> GetPositionAsync(NpgsqlConnection connection, string dataset, string region, CancellationToken ct)
    {
        await using var command = Command(connection, $"SELECT {PositionColumns} FROM {_s}backflow_state WHERE dataset = $1 AND region = $2", dataset, region);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadPosition(reader) : null;
    }

    public async Task<IReadOnlyList<FeedPosition>> ListPositionsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = Command(connection, $"SELECT {PositionColumns} FROM {_s}backflow_state ORDER BY dataset, region");
        return await ReadAllAsync(command, ReadPosition, ct);
    }

    public async Task SavePositionAsync(NpgsqlConnection connection, FeedPosition p, CancellationToken ct)
    {
        await using var command = Command(
            connection,
            $"""
            INSERT INTO {_s}backflow_state ({PositionColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (dataset, region) DO UPDATE SET sequence = excluded.sequence, generation = excluded.generation, schema_hash = excluded.schema_hash,
                row_count = excluded.row_count, checksum = excluded.checksum, applied_at = excluded.applied_at
            """,
            p.Dataset, p.Region, p.Sequence, p.Generation, p.SchemaHash, p.RowCount, p.Checksum, p.AppliedAt.ToUniversalTime());
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task ForgetPositionAsync(NpgsqlConnection connection, string dataset, string region, CancellationToken ct)
    {
        await using var command = Command(connection, $"DELETE FROM {_s}backflow_state WHERE dataset = $1 AND region = $2", dataset, region);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task AppendRunAsync(NpgsqlConnection connection, RunRecord run, CancellationToken ct)
    {
        await using var command = Command(
            connection,
            $"INSERT INTO {_s}backflow_runs ({RunColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            run.Dataset, run.Region, run.FromSequence, run.ToSequence, run.Rows, run.DurationMs, run.Outcome, run.Error, run.StartedAt.ToUniversalTime());
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<RunRecord>> RecentRunsAsync(NpgsqlConnection connection, string? dataset, int limit, CancellationToken ct)
    {
        var filter = dataset is null ? string.Empty : "WHERE dataset = $2 ";
        await using var command = Command(connection, $"SELECT {RunColumns} FROM {_s}backflow_runs {filter}ORDER BY id DESC LIMIT $1", [limit, .. dataset is null ? Array.Empty<object?>() : [dataset]]);
        return await ReadAllAsync(command, r => new RunRecord(
            r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5),
            r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetFieldValue<DateTimeOffset>(8)), ct);
    }

    public async Task<IReadOnlyList<FeedHealth>> ListHealthAsync(NpgsqlConnection connection, string? dataset, string? region, CancellationToken ct)
    {
        var filter = dataset is null ? string.Empty : "WHERE dataset = $1 AND region = $2 ";
        await using var command = Command(connection, $"SELECT {HealthColumns} FROM {_s}backflow_feed_health {filter}ORDER BY dataset, region", dataset is null ? [] : [dataset, region]);
        return await ReadAllAsync(command, r => new FeedHealth(
            r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt32(3), r.GetBoolean(4),
            r.IsDBNull(5) ? null : r.GetString(5), OptionalTime(r, 6), OptionalTime(r, 7), OptionalTime(r, 8), r.GetBoolean(9)), ct);
    }

    public async Task SaveHealthAsync(NpgsqlConnection connection, FeedHealth h, CancellationToken ct)
    {
        await using var command = Command(
            connection,
            $"""
            INSERT INTO {_s}backflow_feed_health ({HealthColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (dataset, region) DO UPDATE SET latest_known_sequence = excluded.latest_known_sequence,
                consecutive_failures = excluded.consecutive_failures, blocked = excluded.blocked, last_error = excluded.last_error,
                last_error_at = excluded.last_error_at, last_success_at = excluded.last_success_at, last_attempt_at = excluded.last_attempt_at,
                diverged = excluded.diverged
            """,
            h.Dataset, h.Region, h.LatestKnownSequence, h.ConsecutiveFailures, h.Blocked, h.LastError,
            Time(h.LastErrorAt), Time(h.LastSuccessAt), Time(h.LastAttemptAt), h.Diverged);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static FeedPosition ReadPosition(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt32(3), r.GetString(4), r.GetInt64(5), r.GetString(6), r.GetFieldValue<DateTimeOffset>(7));

    private static DateTimeOffset? OptionalTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz, Value = value is { } v ? v.ToUniversalTime() : DBNull.Value };

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            // Typed nulls: an untyped DBNull in a positional parameter has no type to infer.
            command.Parameters.Add(value switch
            {
                NpgsqlParameter typed => typed,
                null => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text },
                _ => new NpgsqlParameter { Value = value },
            });
        }

        return command;
    }

    private static async Task<IReadOnlyList<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var items = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            items.Add(read(reader));
        }

        return items;
    }
}
