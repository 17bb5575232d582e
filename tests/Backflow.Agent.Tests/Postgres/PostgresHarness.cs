using Backflow.Agent.Loading;
using Backflow.Agent.Loading.Postgres;
using Backflow.Agent.Tests.Loading;
using Backflow.Agent.Tests.Support;
using Backflow.Protocol.Catalog;
using Npgsql;

namespace Backflow.Agent.Tests.Postgres;

/// <summary>
/// A fresh database on the test cluster with a <see cref="PostgresLoadTarget"/> on it, driven through the shared
/// <see cref="LoadHarness"/> (extracts, manifests with the server's state, the region model), plus PostgreSQL reads.
/// </summary>
internal sealed class PostgresHarness : IAsyncDisposable
{
    private readonly PostgresServer _server;
    private readonly NpgsqlDataSource _dataSource;

    private PostgresHarness(PostgresServer server, string connectionString, TableNames? tableNames, string schema)
    {
        _server = server;
        ConnectionString = connectionString;
        Schema = schema;
        Load = new LoadHarness(time => new PostgresLoadTarget(connectionString, time, tableNames, schema));
        _dataSource = PostgresConnections.Create(connectionString);
    }

    public LoadHarness Load { get; }

    public PostgresLoadTarget Target => (PostgresLoadTarget)Load.Target;

    public string ConnectionString { get; }

    public string Schema { get; }

    public static async Task<PostgresHarness> StartAsync(PostgresServer server, TableNames? tableNames = null, string schema = "public")
    {
        var connectionString = await server.CreateDatabaseAsync();
        if (schema != "public")
        {
            await PostgresServer.ExecuteAsync(connectionString, $"CREATE SCHEMA {schema}");
        }

        return new PostgresHarness(server, connectionString, tableNames, schema);
    }

    /// <summary>Reads a table back through the target's mapper, ordered by its key, optionally only one region.</summary>
    public async Task<List<object?[]>> ReadTableAsync(DatasetDefinition? dataset = null, string? region = null, string? table = null)
    {
        dataset ??= LoadingDatasets.EveryType;
        var layout = new PostgresTableLayout(dataset, Schema, table ?? dataset.Id.Replace('-', '_'));
        var columns = string.Join(", ", dataset.Columns.Select(c => SqlIdentifiers.Quote(c.Name)));
        var keys = string.Join(", ", layout.KeyOrdinals.Select(o => SqlIdentifiers.Quote(dataset.Columns[o].Name)));
        await using var command = _dataSource.CreateCommand(
            $"SELECT {columns} FROM {layout.QualifiedTable}" + (region is null ? string.Empty : " WHERE region = $1") + $" ORDER BY {keys}");
        if (region is not null)
        {
            command.Parameters.AddWithValue(region);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(dataset.Columns.Select((c, i) => PostgresValueMapper.Read(reader, i, c)).ToArray());
        }

        return rows;
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    public Task ExecuteAsync(string sql) => PostgresServer.ExecuteAsync(ConnectionString, sql);

    public async ValueTask DisposeAsync()
    {
        await Load.DisposeAsync();
        await _dataSource.DisposeAsync();
        await _server.DropDatabaseAsync(ConnectionString);
    }
}
