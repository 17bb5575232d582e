using Backflow.EndToEnd.Tests.Kit;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Regions;

namespace Backflow.EndToEnd.Tests;

/// <summary>A real server process and real agent processes loading into real SQLite files.</summary>
public sealed class AgentSyncTests
{
    private static readonly string[] Counties = ["330106", "330102", "330108"];

    [Fact]
    public async Task Agents_hold_exactly_the_published_rows_of_their_scope_value_by_value()
    {
        await using var server = new ServerProcess();
        AllTypesDataset.Install(server.CatalogDirectory);
        var dataset = CatalogReader.ReadFile(Path.Combine(server.CatalogDirectory, AllTypesDataset.Id + ".json"));
        var expected = new ExpectedRows(dataset);
        var session = new PublishSession(server, expected);
        var random = new Random(20261126);
        await server.StartAsync();

        var county = await EnrollAsync(server, "county", "330106");
        var prefecture = await EnrollAsync(server, "prefecture", "330100");

        // 1: inserts in three counties plus dataset-wide reference rows (000000) every grantee receives.
        await session.PublishAsync([.. Enumerable.Range(1, 300).Select(i => AllTypesDataset.Row(i, Counties[i % 3], random)),
            .. Enumerable.Range(1001, 5).Select(i => AllTypesDataset.Row(i, "000000", random))]);
        Assert.Equal(0, (await county.SyncAsync()).ExitCode);

        // 2: updates, deletes (by key, routed to the key's region), and rows moving between counties.
        var updates = Enumerable.Range(1, 300).Where(i => i % 5 == 0).Select(i => AllTypesDataset.Row(i, Counties[i % 3], random));
        var moves = Enumerable.Range(1, 300).Where(i => i % 3 == 0 && i % 5 != 0).Take(10).Select(i => AllTypesDataset.Row(i, "330102", random));
        await session.PublishAsync([.. updates, .. moves], deletes: [.. Enumerable.Range(1, 300).Where(i => i % 7 == 0 && i % 5 != 0 && i % 3 != 0), 999_999]);

        // 3: more inserts, and a row of the county moved back in.
        await session.PublishAsync([.. Enumerable.Range(301, 50).Select(i => AllTypesDataset.Row(i, Counties[i % 3], random)), AllTypesDataset.Row(3, "330106", random)]);

        foreach (var agent in new[] { county, prefecture })
        {
            var sync = await agent.SyncAsync();
            Assert.True(sync.ExitCode == 0, sync.ToString());
        }

        AssertHolds(county, dataset, expected, "330106");
        AssertHolds(prefecture, dataset, expected, "330100");
    }

    private static void AssertHolds(AgentProcess agent, DatasetDefinition dataset, ExpectedRows expected, string scope)
    {
        var database = new AgentDatabase(agent.Database);
        var actual = database.Rows(dataset, AllTypesDataset.Table).OrderBy(r => (long)r[0]!).ToArray();
        var wanted = expected.For(RegionScope.Parse(scope));
        Assert.Equal(wanted.Count, actual.Length);
        for (var i = 0; i < wanted.Count; i++)
        {
            Assert.Equal(wanted[i], actual[i]);
        }

        foreach (var (region, state) in database.State(AllTypesDataset.Id))
        {
            var recomputed = database.Recompute(dataset, AllTypesDataset.Table, region);
            Assert.Equal(state.RowCount, recomputed.RowCount);
            Assert.Equal(state.Checksum, recomputed.SumHex);
        }
    }

    internal static async Task<AgentProcess> EnrollAsync(ServerProcess server, string name, string regions)
    {
        var created = await server.CliJsonAsync("agents", "add", "--name", name, "--regions", regions, "--datasets", AllTypesDataset.Id);
        var agent = new AgentProcess(server.Root, name);
        await agent.EnrollAsync(server.BaseAddress!, created.GetProperty("enrollmentCode").GetString()!);
        return agent;
    }
}
