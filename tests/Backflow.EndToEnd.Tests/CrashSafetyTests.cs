using Backflow.EndToEnd.Tests.Kit;
using Backflow.Protocol.Catalog;

namespace Backflow.EndToEnd.Tests;

/// <summary>The agent killed with SIGKILL at random points of a sync: every region stays at a whole sequence,
/// and the next sync converges to the server's rows and checksums.</summary>
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    private const int Trials = 30;

    // 15k rows keep a full sync to a few seconds (40k took well over 4 minutes for 30 trials on 2 cores) while the
    // extracts still take long enough to download and apply that kills land inside both.
    private const int RowsPerSequence = 15_000;

    [Fact]
    public async Task An_agent_killed_at_random_points_always_restarts_from_a_whole_sequence_and_converges()
    {
        await using var server = new ServerProcess();
        AllTypesDataset.Install(server.CatalogDirectory);
        var dataset = CatalogReader.ReadFile(Path.Combine(server.CatalogDirectory, AllTypesDataset.Id + ".json"));
        var expected = new ExpectedRows(dataset);
        var session = new PublishSession(server, expected);
        var random = new Random(7);
        await server.StartAsync();

        // Several sizeable sequences so that a kill can land in a download, an apply or between extracts.
        await session.PublishAsync([.. Enumerable.Range(1, RowsPerSequence).Select(i => AllTypesDataset.Row(i, "330106", random))]);
        for (var round = 0; round < 4; round++)
        {
            await session.PublishAsync([.. Enumerable.Range(1, RowsPerSequence).Where(i => i % 4 == round).Select(i => AllTypesDataset.Row(i, "330106", random))],
                deletes: [.. Enumerable.Range(1, RowsPerSequence).Where(i => i % 97 == round && i % 4 != round)]);
        }

        var template = await AgentSyncTests.EnrollAsync(server, "template", "330106");
        var killedAt = new List<long>();
        for (var trial = 0; trial < Trials; trial++)
        {
            var agent = CloneWithoutData(template, server.Root, $"trial-{trial}");
            using (var sync = agent.StartSync())
            {
                await Task.Delay(random.Next(300, 3500));
                if (!sync.HasExited)
                {
                    sync.Kill(entireProcessTree: true);
                }

                await sync.WaitForExitAsync();
            }

            var database = new AgentDatabase(agent.Database);
            var state = database.State(AllTypesDataset.Id);
            killedAt.Add(state.TryGetValue("330106", out var s) ? s.Sequence : 0);
            AssertWholeSequence(database, dataset, state);

            var resumed = await agent.SyncAsync();
            Assert.True(resumed.ExitCode == 0, $"trial {trial}: {resumed}");
            var converged = database.State(AllTypesDataset.Id);
            Assert.Equal(5, converged["330106"].Sequence);
            AssertWholeSequence(database, dataset, converged);
            Assert.Equal(expected.For(Protocol.Regions.RegionScope.Parse("330106")).Count, converged["330106"].RowCount);
        }

        Faults.FaultTally.Print(output, "agent SIGKILL during sync", $"trials {Trials}, converged {Trials}, rejected 0, lost 0; killed at applied sequences [{string.Join(", ", killedAt)}]");
    }

    private static void AssertWholeSequence(AgentDatabase database, DatasetDefinition dataset, IReadOnlyDictionary<string, (long Sequence, long RowCount, string Checksum)> state)
    {
        if (!state.TryGetValue("330106", out var applied))
        {
            // Killed before the first commit: nothing may have been written.
            Assert.True(!database.Exists || !database.HasTable(AllTypesDataset.Table) || database.Rows(dataset, AllTypesDataset.Table).Count == 0);
            return;
        }

        var recomputed = database.Recompute(dataset, AllTypesDataset.Table, "330106");
        Assert.Equal(applied.RowCount, recomputed.RowCount);
        Assert.Equal(applied.Checksum, recomputed.SumHex);
    }

    /// <summary>A fresh agent with the template's enrollment (token, keys, settings) and no data.</summary>
    private static AgentProcess CloneWithoutData(AgentProcess template, string root, string name)
    {
        var clone = new AgentProcess(root, name);
        CopyDirectory(template.StateDirectory, clone.StateDirectory);
        return clone;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var name = Path.GetFileName(file);
            if (!name.StartsWith("backflow.db", StringComparison.Ordinal))
            {
                File.Copy(file, Path.Combine(to, name));
            }
        }

        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            var name = Path.GetFileName(directory);
            if (name is not ("staging" or "quarantine"))
            {
                CopyDirectory(directory, Path.Combine(to, name));
            }
        }
    }
}
