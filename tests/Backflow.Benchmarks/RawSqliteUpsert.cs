using System.Diagnostics;
using System.Globalization;
using Backflow.Agent.Loading.Sqlite;
using Backflow.Protocol.Catalog;
using Microsoft.Data.Sqlite;
using Parquet;

namespace Backflow.Benchmarks;

/// <summary>
/// Baseline (a): the best plain Microsoft.Data.Sqlite load of the same extract file — Parquet.Net column reads,
/// one prepared <c>INSERT … ON CONFLICT DO UPDATE</c> into the same table (same columns, declared types, primary
/// key and stored value forms) in one transaction with the same pragmas. No signature, hash, checksum, state or
/// region index.
/// </summary>
internal static class RawSqliteUpsert
{
    public static async Task<TimeSpan> RunAsync(DatasetDefinition dataset, string extractPath, string databasePath)
    {
        var layout = new SqliteTableLayout(dataset, "raw_market_entities");
        var clock = Stopwatch.StartNew();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        await connection.OpenAsync();
        Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL");
        Execute(connection, layout.Create);
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = layout.Upsert;
        var parameters = new SqliteParameter[MarketRows.ColumnCount];
        for (var c = 0; c < parameters.Length; c++)
        {
            parameters[c] = command.Parameters.Add(new SqliteParameter(SqliteTableLayout.Parameter(c), DBNull.Value));
        }

        command.Prepare();
        await using var file = File.OpenRead(extractPath);
        await using var reader = await ParquetReader.CreateAsync(file, new ParquetOptions { UseDateOnlyTypeForDates = true });
        var fields = reader.Schema.DataFields;
        var columns = new MarketColumns(checked((int)reader.RowGroups.Max(g => g.RowCount)));
        var inv = CultureInfo.InvariantCulture;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using (var group = reader.OpenRowGroupReader(g))
            {
                await columns.ReadAsync(group, fields);
            }

            for (var r = 0; r < columns.Count; r++)
            {
                for (var c = 0; c < MarketRows.ColumnCount; c++)
                {
                    parameters[c].Value = c switch
                    {
                        4 => columns.Capital[r] is { } d ? d.ToString("F2", inv) : DBNull.Value,
                        5 => columns.Established[r] is { } day ? day.ToString("yyyy'-'MM'-'dd", inv) : DBNull.Value,
                        11 => columns.Updated[r] is { } t ? t.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'", inv) : DBNull.Value,
                        _ => (object?)columns.Strings[MarketColumns.StringSlot(c)][r] ?? DBNull.Value,
                    };
                }

                command.ExecuteNonQuery();
            }
        }

        await transaction.CommitAsync();
        return clock.Elapsed;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
