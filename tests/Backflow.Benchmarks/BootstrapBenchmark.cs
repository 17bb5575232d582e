using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Backflow.Benchmarks;

/// <summary>
/// Item 5: a new agent from nothing to current when the region has a snapshot. The server that holds the N-row
/// publish and the 1 % delta (after the wire benchmark) takes a real <c>backflow-server snapshot</c>, then one more
/// 1 % delta is published after it; a fresh agent enrolls with the real <c>backflow-agent enroll</c> and the measured
/// time is the real <c>backflow-agent sync</c> (wall time including its start-up): download and verify the snapshot,
/// load it, then apply the delta after it. No baseline: the target is "seconds".
/// </summary>
internal static class BootstrapBenchmark
{
    public static async Task RunAsync(Workspace workspace, ServerData server, long rows, ResultTable table)
    {
        (await server.CliAsync("snapshot", "--dataset", MarketRows.Dataset, "--region", MarketRows.Region, "--json")).EnsureSuccess("backflow-server snapshot");
        var after = workspace.File("after-snapshot.csv");
        await InputFiles.WriteCsvAsync(after, PublishBenchmark.LongRange(0, rows).Where(i => i % 100 == 50), version: 3);
        await server.PublishAsync(after);
        var created = await server.CliAsync("agents", "add", "--name", "bootstrap", "--regions", MarketRows.Region, "--datasets", MarketRows.Dataset, "--json");
        var code = JsonDocument.Parse(created.EnsureSuccess("agents add").Output).RootElement.GetProperty("enrollmentCode").GetString()!;

        var state = workspace.File("bootstrap-agent");
        ChildResult sync;
        await using (var running = await RunningServer.StartAsync(server, workspace.Root))
        {
            (await ChildRun.RunAsync(BuiltPaths.AgentDll, ["enroll", "--server", running.Address.ToString(), "--code", code, "--state", state], workspace.Root))
                .EnsureSuccess("backflow-agent enroll");
            sync = (await ChildRun.RunAsync(BuiltPaths.AgentDll, ["sync", "--state", state], workspace.Root)).EnsureSuccess("backflow-agent sync");
        }

        var loaded = CountRows(Path.Combine(state, "backflow.db"));
        if (loaded != rows)
        {
            throw new InvalidOperationException($"the bootstrapped agent holds {loaded} rows, expected {rows}");
        }

        var n = PublishBenchmark.Format(rows);
        table.Add("5 bootstrap", $"new agent from a {n}-row snapshot + a 1 % delta to current (`backflow-agent sync`, wall time)",
            ResultTable.Seconds(sync.Elapsed), "-", "-", "seconds");
        table.Add("3 memory", $"agent bootstrap peak, {n} rows", ResultTable.Megabytes(sync.PeakBytes), "-", "-", "≤ 200 MB");
    }

    private static long CountRows(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'backflow_%' AND name NOT LIKE 'sqlite_%'";
        var table = (string)command.ExecuteScalar()!;
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"SELECT count(*) FROM \"{table}\"");
        return (long)command.ExecuteScalar()!;
    }
}
