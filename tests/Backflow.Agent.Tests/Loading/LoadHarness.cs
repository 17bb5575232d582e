using Backflow.Agent.Loading;
using Backflow.Agent.Loading.Sqlite;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Manifests;
using Backflow.Protocol.Regions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Backflow.Agent.Tests.Loading;

/// <summary>
/// A real SQLite file in a temp folder, a <see cref="SqliteLoadTarget"/> on it, and the server-side model of each
/// region so that every manifest carries the state the server would have computed.
/// </summary>
internal sealed class LoadHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly Dictionary<string, RegionModel> _models = new(StringComparer.Ordinal);
    private int _files;

    public LoadHarness(TableNames? tableNames = null)
    {
        ConnectionString = SqliteLoadTarget.ConnectionStringFor(_directory.Path);
        Target = new SqliteLoadTarget(ConnectionString, Time, tableNames);
    }

    /// <summary>The same harness over another target (PostgreSQL); the SQLite read helpers below do not apply to it.</summary>
    public LoadHarness(Func<TimeProvider, ILoadTarget> target)
    {
        ArgumentNullException.ThrowIfNull(target);
        ConnectionString = string.Empty;
        Target = target(Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero));

    public string ConnectionString { get; }

    public ILoadTarget Target { get; }

    public static ExtractRow Upsert(object?[] values) => new(ChangeOp.Upsert, values);

    public static ExtractRow Delete(object?[] values) => new(ChangeOp.Delete, values);

    public RegionModel Model(string region = LoadingDatasets.Region, DatasetDefinition? dataset = null) =>
        _models.TryGetValue(region, out var model) ? model : _models[region] = new RegionModel(dataset ?? LoadingDatasets.EveryType);

    /// <summary>Writes an extract of the rows, builds its manifest with the server's state, and applies it; the model
    /// follows only when the apply succeeds.</summary>
    public async Task<ApplyResult> ApplyAsync(
        long sequence,
        IReadOnlyList<ExtractRow> rows,
        ExtractKind kind = ExtractKind.Delta,
        string region = LoadingDatasets.Region,
        int generation = 1,
        DatasetDefinition? dataset = null,
        ManifestState? state = null,
        int rowGroupSize = ExtractWriter.DefaultRowGroupSize)
    {
        dataset ??= LoadingDatasets.EveryType;
        var next = new RegionModel(dataset);
        var width = dataset.Columns.Count;

        // After a catalog change the server's existing rows read null in new columns (or lose removed ones).
        next.Apply(Model(region, dataset).Rows.Select(r => Upsert(r.Concat(Enumerable.Repeat<object?>(null, width)).Take(width).ToArray())));
        next.Apply(rows, snapshot: kind == ExtractKind.Snapshot);
        var expected = next.Checksum();
        var manifest = Manifest(dataset, region, sequence, kind, generation, rows, state ?? new ManifestState(expected.RowCount, expected.Sum));
        var path = await WriteExtractAsync(dataset, manifest, rows, rowGroupSize);
        var result = await ApplyFileAsync(dataset, manifest, path);
        _models[region] = next;
        return result;
    }

    public async Task<ApplyResult> ApplyFileAsync(DatasetDefinition dataset, Manifest manifest, string path)
    {
        await using var file = File.OpenRead(path);
        await using var reader = await ExtractReader.OpenAsync(file, dataset);
        return await Target.ApplyAsync(dataset, manifest, reader, CancellationToken.None);
    }

    public static Manifest Manifest(DatasetDefinition dataset, string region, long sequence, ExtractKind kind, int generation, IReadOnlyList<ExtractRow> rows, ManifestState state) => new(
        dataset.Id,
        RegionCode.Parse(region),
        sequence,
        kind,
        generation,
        1,
        dataset.SchemaHash,
        new ManifestFile($"{dataset.Id}.{region}.{sequence:D6}.parquet", 0, new string('0', 64)),
        new ManifestCounts(rows.Count(r => r.Op == ChangeOp.Upsert), rows.Count(r => r.Op == ChangeOp.Delete)),
        state,
        "publish-" + sequence,
        new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));

    public async Task<string> WriteExtractAsync(DatasetDefinition dataset, Manifest manifest, IReadOnlyList<ExtractRow> rows, int rowGroupSize = ExtractWriter.DefaultRowGroupSize)
    {
        var path = Path.Combine(_directory.Path, $"extract-{++_files}.parquet");
        var kind = manifest.Kind == ExtractKind.Snapshot ? ExtractHeader.Snapshot : ExtractHeader.Delta;
        var header = new ExtractHeader(dataset.Id, manifest.Region.Value, manifest.Sequence, dataset.SchemaHash, kind);
        await using var file = File.Create(path);
        await using var writer = await ExtractWriter.CreateAsync(file, dataset, header);
        foreach (var chunk in rows.Chunk(rowGroupSize))
        {
            await writer.WriteRowGroupAsync(chunk);
        }

        return path;
    }

    /// <summary>Reads a table back through the mapper, ordered by rowid, optionally only one region.</summary>
    public async Task<List<object?[]>> ReadTableAsync(DatasetDefinition? dataset = null, string? region = null, string? table = null)
    {
        dataset ??= LoadingDatasets.EveryType;
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        var columns = string.Join(", ", dataset.Columns.Select(c => SqlIdentifiers.Quote(c.Name)));
        command.CommandText = $"SELECT {columns} FROM {SqlIdentifiers.Quote(table ?? dataset.Id.Replace('-', '_'))}"
            + (region is null ? string.Empty : " WHERE region = $r") + " ORDER BY rowid";
        command.Parameters.AddWithValue("$r", region ?? string.Empty);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(dataset.Columns.Select((c, i) => SqliteValueMapper.FromDb(reader, i, c)).ToArray());
        }

        return rows;
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await Target.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
