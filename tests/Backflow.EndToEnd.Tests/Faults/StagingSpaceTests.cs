using Backflow.EndToEnd.Tests.Kit;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Regions;

namespace Backflow.EndToEnd.Tests.Faults;

/// <summary>
/// The staging folder runs out of space part-way through a download. A tmpfs of a few MB would need root; a
/// per-process file size limit (<c>ulimit -f</c>) needs nothing, works for CI and developers alike, and fails the
/// agent's writes the way a full disk does. The agent must say so clearly, apply nothing, and recover later.
/// </summary>
public sealed class StagingSpaceTests(ITestOutputHelper output)
{
    private const int Trials = 3;
    private const string Region = "330106";

    [Fact]
    public async Task A_full_staging_folder_is_reported_clearly_applies_nothing_and_the_next_sync_recovers()
    {
        await using var server = new ServerProcess();
        AllTypesDataset.Install(server.CatalogDirectory);
        var dataset = CatalogReader.ReadFile(Path.Combine(server.CatalogDirectory, AllTypesDataset.Id + ".json"));
        var expected = new ExpectedRows(dataset);
        var session = new PublishSession(server, expected);
        var random = new Random(43);
        await server.StartAsync();

        // The template holds a small first sequence, so its database stays far below the limits used below.
        await session.PublishAsync([.. Enumerable.Range(1, 100).Select(i => AllTypesDataset.Row(i, Region, random))]);
        var template = await AgentSyncTests.EnrollAsync(server, "template", Region);
        Assert.Equal(0, (await template.SyncAsync()).ExitCode);
        var before = new AgentDatabase(template.Database).State(AllTypesDataset.Id)[Region];
        var databaseKiB = new FileInfo(template.Database).Length / 1024;

        await session.PublishAsync([.. Enumerable.Range(101, 20_000).Select(i => AllTypesDataset.Row(i, Region, random))]);
        var extractKiB = new ServerStore(server.DataDirectory).Extracts().Single(e => e.Sequence == 2).Bytes / 1024;
        Assert.True(extractKiB > databaseKiB * 4, $"the extract ({extractKiB} KiB) must be far larger than the database ({databaseKiB} KiB)");

        int rejected = 0, recovered = 0, lost = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var agent = AgentClone.Of(template, server.Root, $"trial-{trial}", withData: true);
            var database = new AgentDatabase(agent.Database);
            var limitKiB = random.NextInt64(databaseKiB * 2, extractKiB - 16);
            var full = await AgentRunner.SyncAsync(agent, AgentRunner.FastRetries, limitKiB);
            output.WriteLine($"trial {trial}, limit {limitKiB} KiB: {full}");
            var staging = Path.Combine(agent.StateDirectory, "staging");
            Assert.True(full.ExitCode == 1, $"a sync that cannot stage its download must exit 1: {full}");
            Assert.Contains(staging, full.Output + full.Error, StringComparison.Ordinal);
            Assert.Contains("space", full.Output + full.Error, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(before, database.State(AllTypesDataset.Id)[Region]);
            Assert.Equal(before.RowCount, database.Rows(dataset, AllTypesDataset.Table).Count);
            rejected++;

            var again = await AgentRunner.SyncAsync(agent, AgentRunner.FastRetries);
            Assert.True(again.ExitCode == 0, $"trial {trial}: once space returns the sync must succeed: {again}");
            var state = database.State(AllTypesDataset.Id)[Region];
            var recomputed = database.Recompute(dataset, AllTypesDataset.Table, Region);
            if (state.Sequence == 2 && state.RowCount == expected.For(RegionScope.Parse(Region)).Count
                && recomputed.RowCount == state.RowCount && recomputed.SumHex == state.Checksum)
            {
                recovered++;
            }
            else
            {
                lost++;
            }
        }

        FaultTally.Print(output, "staging space exhausted",
            $"trials {Trials}, rejected with a clear error {rejected}, applied while full 0, recovered {recovered}, lost {lost}");
        Assert.Equal(Trials, recovered);
    }
}
