using Backflow.Agent.Hosting;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Manifests;
using Backflow.Protocol.Rows;
using Npgsql;

namespace Backflow.Agent.Loading.Postgres;

/// <summary>
/// Loads extracts into a PostgreSQL database: one table per dataset plus Backflow's state tables, all in one schema of
/// one database, so that rows and position commit in the same transaction.
/// </summary>
/// <remarks>
/// Every operation takes its own pooled connection, so the sync loop may run feeds concurrently. Two applies of the
/// same feed are serialised by a transaction-scoped advisory lock on (schema, dataset, region), taken before the
/// position is read — a row lock on the state row would not exist yet for a feed's first apply. Applies of other
/// feeds, including other regions of the same dataset, run in parallel.
/// </remarks>
internal sealed class PostgresLoadTarget : ILoadTarget
{
    /// <summary>The schema used when <c>Backflow:PostgresSchema</c> is not set.</summary>
    public const string DefaultSchema = "public";

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly TableNames _tableNames;
    private readonly string _schema;
    private readonly PostgresStateStore _state;
    private volatile bool _initialized;

    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="timeProvider">Source of <c>applied_at</c>.</param>
    /// <param name="tableNames">Dataset id → table name (the same rules and overrides as SQLite's).</param>
    /// <param name="schema">The schema holding the data and state tables; it must exist.</param>
    public PostgresLoadTarget(string connectionString, TimeProvider timeProvider, TableNames? tableNames = null, string schema = DefaultSchema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _schema = SqlIdentifiers.Require(schema, "the PostgreSQL schema");
        _dataSource = PostgresConnections.Create(connectionString);
        _time = timeProvider;
        _tableNames = tableNames ?? TableNames.Default;
        _state = new PostgresStateStore(_schema);
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await PostgresConnections.OpenAsync(_dataSource, cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT count(*) FROM pg_catalog.pg_namespace WHERE nspname = $1", connection))
        {
            exists.Parameters.AddWithValue(_schema);
            if ((long)(await exists.ExecuteScalarAsync(cancellationToken))! == 0)
            {
                throw new AgentConfigurationException($"PostgreSQL database '{connection.Database}' has no schema '{_schema}'; create it (CREATE SCHEMA \"{_schema}\" AUTHORIZATION <the agent's user>) or set Backflow:PostgresSchema to an existing one");
            }
        }

        // Two agents' processes (or `status` during a sync) may initialise at once; CREATE … IF NOT EXISTS is not safe
        // against a concurrent create of the same name, the lock makes it so.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresConnections.LockAsync(connection, "backflow.init:" + _schema, cancellationToken);
        try
        {
            await using var create = new NpgsqlCommand(_state.CreateTables, connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new AgentConfigurationException($"the PostgreSQL user '{connection.UserName}' may not create Backflow's tables in schema '{_schema}' ({e.MessageText}); grant it CREATE on the schema: GRANT CREATE, USAGE ON SCHEMA \"{_schema}\" TO \"{connection.UserName}\"");
        }

        await transaction.CommitAsync(cancellationToken);
        _initialized = true;
    }

    public async Task<FeedPosition?> GetPositionAsync(string dataset, string region, CancellationToken cancellationToken)
    {
        await using var connection = await OpenInitializedAsync(cancellationToken);
        return await _state.GetPositionAsync(connection, dataset, region, cancellationToken);
    }

    public async Task<IReadOnlyList<FeedPosition>> ListPositionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenInitializedAsync(cancellationToken);
        return await _state.ListPositionsAsync(connection, cancellationToken);
    }

    public async Task<ApplyResult> ApplyAsync(DatasetDefinition dataset, Manifest manifest, ExtractReader extract, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(extract);
        ApplyChecks.CheckIdentity(dataset, manifest, extract.Header);
        var region = manifest.Region.Value;
        var layout = new PostgresTableLayout(dataset, _schema, _tableNames.Resolve(dataset.Id));

        await using var connection = await OpenInitializedAsync(cancellationToken);

        // Disposing without Commit (any exception below) rolls everything back, staging table included.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresConnections.LockAsync(connection, $"backflow.feed:{_schema}/{dataset.Id}/{region}", cancellationToken);

        // A snapshot may rebuild the table, which moves every region's rows aside and forgets their positions: it
        // excludes the dataset's other applies (deltas share the lock and still run side by side). Taken before the
        // position is read, so no apply can act on a position a rebuild has just forgotten.
        var snapshot = manifest.Kind == ExtractKind.Snapshot;
        await PostgresConnections.LockAsync(connection, $"backflow.dataset:{_schema}/{dataset.Id}", cancellationToken, shared: !snapshot);
        var applied = await _state.GetPositionAsync(connection, dataset.Id, region, cancellationToken);
        if (SequenceRules.IsAlreadyApplied(applied, manifest))
        {
            return new ApplyResult(applied!.Sequence, 0, 0, applied.RowCount, applied.Checksum, AlreadyApplied: true);
        }

        // Only the first snapshot of a newer generation (a re-base) may rebuild the table; anything else that does not
        // fit the table is refused by EnsureAsync with the column named.
        string? rebuild = null;
        if (snapshot && (applied is null || manifest.Generation > applied.Generation)
            && await PostgresTableSchema.IncompatibilityAsync(connection, layout, cancellationToken) is { } reason)
        {
            await PostgresTableRebuild.SetAsideAsync(connection, layout, _state.StateTable, region, _time.GetUtcNow(), cancellationToken);
            rebuild = reason;
        }

        await PostgresTableSchema.EnsureAsync(connection, layout, cancellationToken);
        var checksum = RegionChecksum.Empty;
        if (snapshot)
        {
            await using var clear = new NpgsqlCommand(layout.DeleteRegion, connection) { CommandTimeout = 0 };
            clear.Parameters.AddWithValue(region);
            await clear.ExecuteNonQueryAsync(cancellationToken);
            await PostgresTableRebuild.ReleaseAsync(connection, layout, region, cancellationToken);
        }
        else if (applied is not null)
        {
            checksum = RegionChecksum.Parse(applied.RowCount, applied.Checksum);
        }

        var writer = new PostgresRegionWriter(connection, layout, manifest);
        var added = await RowGroupPipeline.RunAsync(dataset, extract, (rows, group) => writer.WriteAsync(rows, group, cancellationToken), cancellationToken);
        ApplyChecks.CheckCounts(manifest, writer.Upserts, writer.Deletes);
        checksum = new RegionChecksum(
            checksum.RowCount + writer.Upserts - writer.Removed.RowCount,
            unchecked(checksum.Sum + added - writer.Removed.Sum));
        ApplyChecks.CheckState(dataset, manifest, checksum);

        var position = new FeedPosition(dataset.Id, region, manifest.Sequence, manifest.Generation, dataset.SchemaHash, checksum.RowCount, checksum.SumHex, _time.GetUtcNow());
        await _state.SavePositionAsync(connection, position, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ApplyResult(manifest.Sequence, writer.Upserts, writer.Deletes, checksum.RowCount, checksum.SumHex, AlreadyApplied: false, rebuild is not null, rebuild);
    }

    public async Task<bool> RecordUnchangedSnapshotAsync(Manifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var region = manifest.Region.Value;
        await using var connection = await OpenInitializedAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The same locks as a delta's apply: no rebuild can forget this position meanwhile.
        await PostgresConnections.LockAsync(connection, $"backflow.feed:{_schema}/{manifest.Dataset}/{region}", cancellationToken);
        await PostgresConnections.LockAsync(connection, $"backflow.dataset:{_schema}/{manifest.Dataset}", cancellationToken, shared: true);
        var applied = await _state.GetPositionAsync(connection, manifest.Dataset, region, cancellationToken);
        if (!SequenceRules.IsUnchangedSnapshot(applied, manifest))
        {
            return false;
        }

        await _state.SavePositionAsync(connection, applied! with { Sequence = manifest.Sequence, AppliedAt = _time.GetUtcNow() }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Recomputes a region's (row count, checksum) from the rows in its table, streamed: the proof used by
    /// <c>backflow-agent verify</c> that the local copy is complete and untouched.
    /// </summary>
    public async Task<RegionChecksum> RecomputeAsync(DatasetDefinition dataset, string region, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var layout = new PostgresTableLayout(dataset, _schema, _tableNames.Resolve(dataset.Id));
        await using var connection = await OpenInitializedAsync(cancellationToken);
        if (!await PostgresTableSchema.ExistsAsync(connection, layout, cancellationToken))
        {
            return RegionChecksum.Empty;
        }

        await using var command = new NpgsqlCommand(layout.SelectRegion, connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue(region);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new object?[dataset.Columns.Count];
        var encoder = new CanonicalEncoder();
        var checksum = RegionChecksum.Empty;
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = PostgresValueMapper.Read(reader, i, dataset.Columns[i]);
            }

            checksum = checksum.Add(RowDigest.ChecksumTerm(encoder.EncodeRow(dataset, values)));
        }

        return checksum;
    }

    public async Task ForgetPositionAsync(string dataset, string region, CancellationToken cancellationToken)
    {
        await using var connection = await OpenInitializedAsync(cancellationToken);
        await _state.ForgetPositionAsync(connection, dataset, region, cancellationToken);
    }

    public async Task AppendRunAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await OpenInitializedAsync(cancellationToken);
        await _state.AppendRunAsync(connection, run, cancellationToken);
    }

    public async Task<IReadOnlyList<RunRecord>> RecentRunsAsync(string? dataset, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var connection = await OpenInitializedAsync(cancellationToken);
        return await _state.RecentRunsAsync(connection, dataset, limit, cancellationToken);
    }

    public async Task<FeedHealth?> GetHealthAsync(string dataset, string region, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(region);
        await using var connection = await OpenInitializedAsync(cancellationToken);
        var health = await _state.ListHealthAsync(connection, dataset, region, cancellationToken);
        return health.Count == 0 ? null : health[0];
    }

    public async Task<IReadOnlyList<FeedHealth>> ListHealthAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenInitializedAsync(cancellationToken);
        return await _state.ListHealthAsync(connection, null, null, cancellationToken);
    }

    public async Task SaveHealthAsync(FeedHealth health, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(health);
        await using var connection = await OpenInitializedAsync(cancellationToken);
        await _state.SaveHealthAsync(connection, health, cancellationToken);
    }

    /// <summary>Closes the pooled connections.</summary>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private async Task<NpgsqlConnection> OpenInitializedAsync(CancellationToken ct)
    {
        if (!_initialized)
        {
            await InitializeAsync(ct);
        }

        return await PostgresConnections.OpenAsync(_dataSource, ct);
    }
}
