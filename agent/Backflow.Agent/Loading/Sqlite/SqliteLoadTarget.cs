using System.Globalization;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Manifests;
using Backflow.Protocol.Rows;
using Microsoft.Data.Sqlite;

namespace Backflow.Agent.Loading.Sqlite;

/// <summary>
/// Loads extracts into a SQLite database (the default target): one table per dataset plus Backflow's state tables,
/// all in the same file so that rows and position commit together.
/// </summary>
/// <remarks>
/// Every operation opens its own pooled connection, so the sync loop may run feeds concurrently; writers are
/// serialised by <c>BEGIN IMMEDIATE</c> and wait out each other through the busy timeout.
/// </remarks>
internal sealed class SqliteLoadTarget : ILoadTarget
{
    /// <summary>File name of the database inside the agent's state folder.</summary>
    public const string DefaultFileName = "backflow.db";

    private const int BusyTimeoutMs = 30_000;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly TableNames _tableNames;
    private volatile bool _initialized;

    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g. from <see cref="ConnectionStringFor"/>.</param>
    /// <param name="timeProvider">Source of <c>applied_at</c>.</param>
    /// <param name="tableNames">Dataset id → table name; <see cref="TableNames.Default"/> when null.</param>
    public SqliteLoadTarget(string connectionString, TimeProvider timeProvider, TableNames? tableNames = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = BusyTimeoutMs / 1000 }.ToString();
        _time = timeProvider;
        _tableNames = tableNames ?? TableNames.Default;
    }

    /// <summary>The connection string of <c>&lt;stateDirectory&gt;/backflow.db</c>.</summary>
    public static string ConnectionStringFor(string stateDirectory) =>
        new SqliteConnectionStringBuilder { DataSource = Path.Combine(stateDirectory, DefaultFileName) }.ToString();

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);

        // WAL lets `backflow-agent status` and local users read while a sync writes; it is a property of the file,
        // so setting it once here is enough.
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL", cancellationToken);
        await ExecuteAsync(connection, SqliteStateStore.CreateTables, cancellationToken);
        await SqliteStateStore.MigrateAsync(connection, cancellationToken);
        _initialized = true;
    }

    public async Task<FeedPosition?> GetPositionAsync(string dataset, string region, CancellationToken cancellationToken)
    {
        await using var connection = await OpenInitializedAsync(cancellationToken);
        return await SqliteStateStore.GetPositionAsync(connection, null, dataset, region, cancellationToken);
    }

    public async Task<IReadOnlyList<FeedPosition>> ListPositionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenInitializedAsync(cancellationToken);
        return await SqliteStateStore.ListPositionsAsync(connection, cancellationToken);
    }

    public async Task<ApplyResult> ApplyAsync(DatasetDefinition dataset, Manifest manifest, ExtractReader extract, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(extract);
        ApplyChecks.CheckIdentity(dataset, manifest, extract.Header);
        var region = manifest.Region.Value;
        var layout = new SqliteTableLayout(dataset, _tableNames.Resolve(dataset.Id));

        await using var connection = await OpenInitializedAsync(cancellationToken);

        // IMMEDIATE takes the write lock before reading the position, so two applies of one feed cannot both pass
        // the sequence check. Disposing without Commit (any exception below) rolls everything back.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var applied = await SqliteStateStore.GetPositionAsync(connection, transaction, dataset.Id, region, cancellationToken);
        if (SequenceRules.IsAlreadyApplied(applied, manifest))
        {
            return new ApplyResult(applied!.Sequence, 0, 0, applied.RowCount, applied.Checksum, AlreadyApplied: true);
        }

        // Only the first snapshot of a newer generation (a re-base) may rebuild the table; anything else that does not fit
        // the table is refused by EnsureAsync with the column named.
        string? rebuild = null;
        if (manifest.Kind == ExtractKind.Snapshot && (applied is null || manifest.Generation > applied.Generation)
            && await SqliteTableSchema.IncompatibilityAsync(connection, transaction, layout, cancellationToken) is { } reason)
        {
            await SqliteTableRebuild.SetAsideAsync(connection, transaction, layout, region, _time.GetUtcNow(), cancellationToken);
            rebuild = reason;
        }

        await SqliteTableSchema.EnsureAsync(connection, transaction, layout, cancellationToken);
        var checksum = RegionChecksum.Empty;
        if (manifest.Kind == ExtractKind.Snapshot)
        {
            await using var clear = connection.CreateCommand();
            clear.Transaction = transaction;
            clear.CommandText = layout.DeleteRegion;
            clear.Parameters.AddWithValue("$region", region);
            await clear.ExecuteNonQueryAsync(cancellationToken);
            await SqliteTableRebuild.ReleaseAsync(connection, transaction, layout, region, cancellationToken);
        }
        else if (applied is not null)
        {
            checksum = RegionChecksum.Parse(applied.RowCount, applied.Checksum);
        }

        long upserts = 0, deletes = 0;
        ulong added;
        using (var writer = new SqliteRegionWriter(connection, transaction, layout))
        {
            added = await RowGroupPipeline.RunAsync(dataset, extract, (rows, g) =>
            {
                for (var r = 0; r < rows.Count; r++)
                {
                    var row = rows[r];
                    if (row.Values[dataset.RegionOrdinal] is not string rowRegion || rowRegion != region)
                    {
                        throw ApplyChecks.WrongRegion(dataset, manifest, g, r, row.Values[dataset.RegionOrdinal]);
                    }

                    if (row.Op == ChangeOp.Delete)
                    {
                        checksum = writer.Delete(row.Values, checksum);
                        deletes++;
                    }
                    else
                    {
                        checksum = writer.Upsert(row.Values, checksum);
                        upserts++;
                    }
                }

                return Task.CompletedTask;
            }, cancellationToken);
        }

        checksum = new RegionChecksum(checksum.RowCount, unchecked(checksum.Sum + added));
        ApplyChecks.CheckCounts(manifest, upserts, deletes);
        ApplyChecks.CheckState(dataset, manifest, checksum);

        var position = new FeedPosition(dataset.Id, region, manifest.Sequence, manifest.Generation, dataset.SchemaHash, checksum.RowCount, checksum.SumHex, _time.GetUtcNow());
        await SqliteStateStore.SavePositionAsync(connection, transaction, position, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ApplyResult(manifest.Sequence, upserts, deletes, checksum.RowCount, checksum.SumHex, AlreadyApplied: false, rebuild is not null, rebuild);
    }

    public async Task<bool> RecordUnchangedSnapshotAsync(Manifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        await using var connection = await OpenInitializedAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var applied = await SqliteStateStore.GetPositionAsync(connection, transaction, manifest.Dataset, manifest.Region.Value, cancellationToken);
        if (!SequenceRules.IsUnchangedSnapshot(applied, manifest))
        {
            return false;
        }

        await SqliteStateStore.SavePositionAsync(connection, transaction, applied! with { Sequence = manifest.Sequence, AppliedAt = _time.GetUtcNow() }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Recomputes a region's (row count, checksum) from the rows in its table, one row at a time: the proof used by
    /// <c>backflow-agent verify</c> that the local copy is complete and untouched.
    /// </summary>
    /// <exception cref="InvalidDataException">A stored value is not one Backflow writes (the table was edited).</exception>
    public async Task<RegionChecksum> RecomputeAsync(DatasetDefinition dataset, string region, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var layout = new SqliteTableLayout(dataset, _tableNames.Resolve(dataset.Id));
        await using var connection = await OpenInitializedAsync(cancellationToken);
        if (!await SqliteTableSchema.ExistsAsync(connection, layout.Table, cancellationToken))
        {
            return RegionChecksum.Empty;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = layout.SelectRegion;
        command.Parameters.AddWithValue("$region", region);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new object?[dataset.Columns.Count];
        var encoder = new CanonicalEncoder();
        var checksum = RegionChecksum.Empty;
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = SqliteValueMapper.FromDb(reader, i, dataset.Columns[i]);
            }

            checksum = checksum.Add(RowDigest.ChecksumTerm(encoder.EncodeRow(dataset, values)));
        }

        return checksum;
    }

    public async Task ForgetPositionAsync(string dataset, string region, CancellationToken cancellationToken)
    {
        await using var connection = await OpenInitializedAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM backflow_state WHERE dataset = $d AND region = $r";
        command.Parameters.AddWithValue("$d", dataset);
        command.Parameters.AddWithValue("$r", region);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AppendRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await OpenInitializedAsync(cancellationToken);
        await SqliteStateStore.AppendRunAsync(connection, run, cancellationToken);
    }

    public async Task<IReadOnlyList<RunRecord>> RecentRunsAsync(string? dataset, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var connection = await OpenInitializedAsync(cancellationToken);
        return await SqliteStateStore.RecentRunsAsync(connection, dataset, limit, cancellationToken);
    }

    public async Task<FeedHealth?> GetHealthAsync(string dataset, string region, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(region);
        await using var connection = await OpenInitializedAsync(cancellationToken);
        var health = await SqliteStateStore.ListHealthAsync(connection, dataset, region, cancellationToken);
        return health.Count == 0 ? null : health[0];
    }

    public async Task<IReadOnlyList<FeedHealth>> ListHealthAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenInitializedAsync(cancellationToken);
        return await SqliteStateStore.ListHealthAsync(connection, null, null, cancellationToken);
    }

    public async Task SaveHealthAsync(FeedHealth health, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(health);
        await using var connection = await OpenInitializedAsync(cancellationToken);
        await SqliteStateStore.SaveHealthAsync(connection, health, cancellationToken);
    }

    /// <summary>Closes the pooled connections so the database file is released (it can then be moved or deleted).</summary>
    public ValueTask DisposeAsync()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    private async Task<SqliteConnection> OpenInitializedAsync(CancellationToken ct)
    {
        if (!_initialized)
        {
            await InitializeAsync(ct);
        }

        return await OpenAsync(ct);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);

            // synchronous=FULL fsyncs the WAL at every commit. NORMAL is crash-consistent too, but may lose the last
            // commits on power loss — after the agent has already reported that sequence to the server as applied.
            // It costs one fsync per extract, not per row.
            await ExecuteAsync(connection, $"PRAGMA busy_timeout = {BusyTimeoutMs.ToString(CultureInfo.InvariantCulture)}; PRAGMA synchronous = FULL", ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
