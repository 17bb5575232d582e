namespace Backflow.Benchmarks;

/// <summary>
/// Item 3 at further sizes: peak working set of <c>backflow-server publish</c> (from Parquet) and of the agent's
/// apply child at each extra row count, so that growth with row count is visible side by side.
/// </summary>
internal static class MemoryBenchmark
{
    public static async Task RunAsync(Workspace workspace, long rows, ResultTable table)
    {
        var n = PublishBenchmark.Format(rows);
        var input = workspace.File($"memory-{rows}.parquet");
        await InputFiles.WriteParquetAsync(input, 0, rows, version: 1);
        var server = new ServerData(workspace.Root, $"server-memory-{rows}");
        var publish = await server.PublishAsync(input);
        File.Delete(input);
        table.Add("3 memory", $"server publish peak, {n} rows (Parquet)", ResultTable.Megabytes(publish.PeakBytes),
            ResultTable.Rate(rows, publish.Elapsed), "-", "≤ 500 MB");
        var apply = await ApplyBenchmark.MeasureAgentAsync(workspace, server, 1, $"memory-{rows}");
        table.Add("3 memory", $"agent apply peak, {n} rows", ResultTable.Megabytes(apply.PeakBytes),
            ResultTable.Rate(rows, apply.Elapsed), "-", "≤ 200 MB");
        File.Delete(workspace.File($"memory-{rows}.agent.db"));
        Directory.Delete(server.DataDirectory, recursive: true);
    }
}
