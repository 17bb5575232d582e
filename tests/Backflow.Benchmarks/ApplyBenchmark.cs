using Backflow.Protocol.Catalog;

namespace Backflow.Benchmarks;

/// <summary>
/// Item 1 (and the agent's half of item 3): verify + apply of the published N-row extract into an empty SQLite
/// database by the agent's code in a child process, against a raw prepared upsert and a DuckDB load of the same file.
/// The agent's rows/s use the time measured inside the child (verify + apply), so process start-up counts for neither side.
/// </summary>
internal static class ApplyBenchmark
{
    public static async Task<ApplyMeasurement> MeasureAgentAsync(Workspace workspace, ServerData server, long sequence, string label)
    {
        var (envelope, extractPath) = server.Extract(sequence);
        var envelopePath = workspace.File($"{label}.envelope.json");
        var keyPath = workspace.File($"{label}.key.pem");
        await File.WriteAllBytesAsync(envelopePath, envelope);
        await File.WriteAllTextAsync(keyPath, server.PublicKeyPem());
        var database = workspace.File($"{label}.agent.db");
        var child = await ChildRun.RunAsync(BuiltPaths.SelfDll, [ApplyChild.Command, envelopePath, extractPath, keyPath, database], workspace.Root);
        child.EnsureSuccess("agent apply of " + label);
        var (verifyMs, applyMs, rows) = ApplyChild.Parse(child.Output);
        return new ApplyMeasurement(extractPath, rows, TimeSpan.FromMilliseconds(verifyMs + applyMs), TimeSpan.FromMilliseconds(verifyMs), child.PeakBytes);
    }

    public static async Task RunAsync(Workspace workspace, ServerData server, long rows, ResultTable table)
    {
        var dataset = CatalogReader.ReadFile(Path.Combine(BuiltPaths.Catalog, MarketRows.Dataset + ".json"));
        var agent = await MeasureAgentAsync(workspace, server, 1, "apply");
        if (agent.Rows != rows)
        {
            throw new InvalidOperationException($"the agent applied {agent.Rows} rows, expected {rows}");
        }

        var raw = await RawSqliteUpsert.RunAsync(dataset, agent.ExtractPath, workspace.File("raw.db"));
        var duck = await DuckDbLoad.RunAsync(agent.ExtractPath, workspace.File("duck.duckdb"));
        var n = PublishBenchmark.Format(rows);
        table.Add("1 apply", $"agent verify+apply {n} rows (verify {ResultTable.Seconds(agent.Verify)})", ResultTable.Rate(rows, agent.Elapsed),
            "raw prepared upsert " + ResultTable.Rate(rows, raw), ResultTable.Ratio(raw / agent.Elapsed), "≥ 0.9× raw");
        table.Add("1 apply", $"DuckDB load of the same file", ResultTable.Rate(rows, duck), "-", ResultTable.Ratio(duck / agent.Elapsed) + " (DuckDB/agent time)", "-");
        table.Add("3 memory", $"agent apply peak, {n} rows", ResultTable.Megabytes(agent.PeakBytes), "-", "-", "≤ 200 MB");
    }
}
