using System.Diagnostics;
using DuckDB.NET.Data;

namespace Backflow.Benchmarks;

/// <summary>Baseline (b): DuckDB loading the same Parquet file into a table of a file database (columnar, vectorised).</summary>
internal static class DuckDbLoad
{
    public static async Task<TimeSpan> RunAsync(string extractPath, string databasePath)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new DuckDBConnection("Data Source=" + databasePath);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();

        // The path is ours (a temp folder), never user input; DuckDB takes no parameter in read_parquet's path.
#pragma warning disable CA2100
        command.CommandText = $"CREATE TABLE market_entities AS SELECT * FROM read_parquet('{extractPath.Replace("'", "''", StringComparison.Ordinal)}'); CHECKPOINT;";
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync();
        return clock.Elapsed;
    }
}
