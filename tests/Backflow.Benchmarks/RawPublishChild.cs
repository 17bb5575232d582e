namespace Backflow.Benchmarks;

/// <summary>
/// The raw publish baseline (an input file to one Parquet file, nothing else) in a process of its own, so that it is
/// measured as the publish is: a fresh process, wall time from start to exit, JIT and start-up included on both sides.
/// Run inside the benchmark process instead, it got faster with every repetition as its code warmed up (161,000 rows/s
/// at first, 250,000 by the tenth run of the same CSV), while every publish starts cold.
/// </summary>
internal static class RawPublishChild
{
    public const string Command = "raw-publish-child";

    public static async Task<int> RunAsync(string format, string input, string output)
    {
        await (format switch
        {
            "csv" => PublishBenchmark.RawFromCsvAsync(input, output),
            "parquet" => PublishBenchmark.RawFromParquetAsync(input, output),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "csv or parquet"),
        });
        return 0;
    }

    /// <summary>Runs the baseline as a child process and returns its wall time. It runs with dynamic PGO off, as the server
    /// ships: that is faster for it too (a Parquet baseline 3.9-4.4 s instead of 4.6-5.1 s; CSV within noise).</summary>
    public static async Task<TimeSpan> MeasureAsync(Workspace workspace, string format, string input, string output)
    {
        var child = await ChildRun.RunAsync(BuiltPaths.SelfDll, [Command, format, input, output], workspace.Root,
            new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "0" });
        return child.EnsureSuccess($"raw {format} baseline").Elapsed;
    }
}
