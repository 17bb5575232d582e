using Backflow.EndToEnd.Tests.Kit;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Regions;

namespace Backflow.EndToEnd.Tests;

/// <summary>Snapshots, retention and re-baselining with the real server and agent executables.</summary>
public sealed class SnapshotTests
{
    private static readonly string[] Counties = ["330106", "330102", "330108"];

    [Fact]
    public async Task An_agent_that_joins_late_bootstraps_from_the_snapshot_and_ends_equal_to_one_that_applied_every_delta()
    {
        await using var server = new ServerProcess();
        var (dataset, expected, session) = Setup(server);
        await server.StartAsync();
        var early = await AgentSyncTests.EnrollAsync(server, "early", "330100");
        var random = new Random(7);

        await session.PublishAsync([.. Enumerable.Range(1, 200).Select(i => AllTypesDataset.Row(i, Counties[i % 3], random))]);
        Assert.Equal(0, (await early.SyncAsync()).ExitCode);
        await session.PublishAsync([.. Enumerable.Range(1, 200).Where(i => i % 4 == 0).Select(i => AllTypesDataset.Row(i, Counties[(i + 1) % 3], random))], deletes: [5, 7, 11]);
        Assert.Equal(0, (await early.SyncAsync()).ExitCode);
        var snapshots = await server.CliJsonAsync("snapshot", "--dataset", AllTypesDataset.Id);
        Assert.Equal(3, snapshots.GetProperty("snapshots").GetArrayLength());
        await session.PublishAsync([.. Enumerable.Range(201, 30).Select(i => AllTypesDataset.Row(i, Counties[i % 3], random))]);
        Assert.Equal(0, (await early.SyncAsync()).ExitCode);

        var late = await AgentSyncTests.EnrollAsync(server, "late", "330100");
        var sync = await late.SyncAsync();
        Assert.True(sync.ExitCode == 0, sync.ToString());

        AssertEqualCopies(dataset, expected, early, late);
        // The scheduled-snapshot case: an agent that was current never downloads a snapshot of rows it already holds;
        // one that starts late loads exactly those snapshots.
        var taken = snapshots.GetProperty("snapshots").EnumerateArray().Select(s => (s.GetProperty("region").GetString(), s.GetProperty("sequence").GetInt64())).ToHashSet();
        Assert.Empty(await DownloadsAsync(server, "early", taken));
        Assert.Equal(taken.Count, (await DownloadsAsync(server, "late", taken)).Count);
    }

    private static async Task<List<(string?, long)>> DownloadsAsync(ServerProcess server, string agentName, HashSet<(string?, long)> extracts)
    {
        var agentId = (await server.CliJsonAsync("agents", "list")).EnumerateArray()
            .Single(a => a.GetProperty("name").GetString() == agentName).GetProperty("agentId").GetString()!;
        var audit = await server.CliJsonAsync("audit", "--agent", agentId, "--limit", "10000", "--json");
        return [.. audit.EnumerateArray()
            .Where(r => r.GetProperty("kind").GetString() == "download")
            .Select(r => (r.GetProperty("region").GetString(), r.GetProperty("sequence").GetInt64()))
            .Where(extracts.Contains)];
    }

    [Fact]
    public async Task An_agent_offline_past_retention_gets_410_rebaselines_and_converges()
    {
        await using var server = new ServerProcess();
        var (dataset, expected, session) = Setup(server);
        await server.StartAsync();
        var agent = await AgentSyncTests.EnrollAsync(server, "offline", "330106");
        var witness = await AgentSyncTests.EnrollAsync(server, "witness", "330106");
        var random = new Random(11);

        await session.PublishAsync([.. Enumerable.Range(1, 90).Select(i => AllTypesDataset.Row(i, Counties[i % 3], random))]);
        Assert.Equal(0, (await agent.SyncAsync()).ExitCode);
        await session.PublishAsync([.. Enumerable.Range(1, 90).Where(i => i % 2 == 0).Select(i => AllTypesDataset.Row(i, Counties[i % 3], random))], deletes: [3, 5]);
        await session.PublishAsync([.. Enumerable.Range(91, 30).Select(i => AllTypesDataset.Row(i, Counties[i % 3], random))]);
        await server.CliJsonAsync("snapshot", "--dataset", AllTypesDataset.Id, "--region", "330106");
        await session.PublishAsync([.. Enumerable.Range(121, 9).Select(i => AllTypesDataset.Row(i, Counties[i % 3], random))]);
        var removed = await server.CliJsonAsync("retention", "--window-days", "0");
        Assert.Contains(removed.GetProperty("removed").EnumerateArray(), r => r.GetProperty("region").GetString() == "330106" && r.GetProperty("toSequence").GetInt64() == 3);
        var audit = await server.CliAsync("audit", "--json");
        Assert.Contains("\"retention\"", audit.Output, StringComparison.Ordinal);

        var sync = await agent.SyncAsync();
        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Contains("rebased", sync.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await witness.SyncAsync()).ExitCode);
        AssertEqualCopies(dataset, expected, agent, witness);
    }

    [Fact]
    public async Task Resync_bumps_the_generation_and_agents_rebaseline_and_report_it()
    {
        await using var server = new ServerProcess();
        var (dataset, expected, session) = Setup(server);
        await server.StartAsync();
        var agent = await AgentSyncTests.EnrollAsync(server, "county", "330106");
        var random = new Random(13);
        await session.PublishAsync([.. Enumerable.Range(1, 60).Select(i => AllTypesDataset.Row(i, Counties[i % 3], random))]);
        Assert.Equal(0, (await agent.SyncAsync()).ExitCode);

        var resync = await server.CliJsonAsync("resync", "--dataset", AllTypesDataset.Id, "--region", "330106");
        Assert.Equal(2, resync.GetProperty("snapshots")[0].GetProperty("generation").GetInt64());
        var sync = await agent.SyncAsync();

        Assert.True(sync.ExitCode == 0, sync.ToString());
        Assert.Contains("rebased", sync.Output, StringComparison.Ordinal);
        var fresh = await AgentSyncTests.EnrollAsync(server, "fresh", "330106");
        Assert.Equal(0, (await fresh.SyncAsync()).ExitCode);
        AssertEqualCopies(dataset, expected, agent, fresh);
    }

    internal static (DatasetDefinition Dataset, ExpectedRows Expected, PublishSession Session) Setup(ServerProcess server)
    {
        AllTypesDataset.Install(server.CatalogDirectory);
        var dataset = CatalogReader.ReadFile(Path.Combine(server.CatalogDirectory, AllTypesDataset.Id + ".json"));
        var expected = new ExpectedRows(dataset);
        return (dataset, expected, new PublishSession(server, expected));
    }

    internal static void AssertEqualCopies(DatasetDefinition dataset, ExpectedRows expected, AgentProcess a, AgentProcess b)
    {
        var left = new AgentDatabase(a.Database);
        var right = new AgentDatabase(b.Database);
        var leftRows = left.Rows(dataset, AllTypesDataset.Table).OrderBy(r => (long)r[0]!).ToArray();
        var rightRows = right.Rows(dataset, AllTypesDataset.Table).OrderBy(r => (long)r[0]!).ToArray();
        Assert.Equal(leftRows.Length, rightRows.Length);
        for (var i = 0; i < leftRows.Length; i++)
        {
            Assert.Equal(leftRows[i], rightRows[i]);
        }

        var leftState = left.State(AllTypesDataset.Id);
        var rightState = right.State(AllTypesDataset.Id);
        Assert.Equal(leftState.Count, rightState.Count);
        foreach (var (region, state) in leftState)
        {
            Assert.Equal((state.RowCount, state.Checksum), (rightState[region].RowCount, rightState[region].Checksum));
            var recomputed = right.Recompute(dataset, AllTypesDataset.Table, region);
            Assert.Equal((state.RowCount, state.Checksum), (recomputed.RowCount, recomputed.SumHex));
        }

        var scope = leftState.Keys.All(k => k.StartsWith("3301", StringComparison.Ordinal) && k != "330106") || leftState.Count > 1 ? "330100" : "330106";
        Assert.Equal(expected.For(RegionScope.Parse(scope)).Count, rightRows.Length);
    }
}
