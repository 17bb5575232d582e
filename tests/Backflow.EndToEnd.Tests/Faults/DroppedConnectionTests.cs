using Backflow.EndToEnd.Tests.Kit;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Regions;

namespace Backflow.EndToEnd.Tests.Faults;

/// <summary>
/// Extract downloads cut at random byte offsets by a proxy between a real agent and the real server: the agent
/// resumes with <c>Range</c>, verifies, applies, and its table ends equal to the published rows.
/// </summary>
public sealed class DroppedConnectionTests(ITestOutputHelper output)
{
    private const int Trials = 10;
    private const string Region = "330106";

    /// <summary>A sync may give up on an extract after its download attempts; the next run resumes the part.</summary>
    private const int SyncsPerTrial = 4;

    [Fact]
    public async Task Downloads_cut_at_random_offsets_resume_and_the_agent_converges_to_the_published_rows()
    {
        await using var server = new ServerProcess();
        AllTypesDataset.Install(server.CatalogDirectory);
        var dataset = CatalogReader.ReadFile(Path.Combine(server.CatalogDirectory, AllTypesDataset.Id + ".json"));
        var expected = new ExpectedRows(dataset);
        var session = new PublishSession(server, expected);
        var random = new Random(31);
        await server.StartAsync();

        // One large extract (most cuts land mid-body) and two smaller ones (cuts also land in headers and short bodies).
        await session.PublishAsync([.. Enumerable.Range(1, 20_000).Select(i => AllTypesDataset.Row(i, Region, random))]);
        await session.PublishAsync([.. Enumerable.Range(1, 20_000).Where(i => i % 5 == 0).Select(i => AllTypesDataset.Row(i, Region, random))],
            deletes: [.. Enumerable.Range(1, 20_000).Where(i => i % 11 == 0 && i % 5 != 0)]);
        await session.PublishAsync([.. Enumerable.Range(20_001, 3_000).Select(i => AllTypesDataset.Row(i, Region, random))]);
        var sizes = new ServerStore(server.DataDirectory).Extracts()
            .ToDictionary(e => $"/api/v1/extracts/{e.Dataset}/{e.Region}/{e.Sequence}", e => e.Bytes, StringComparer.Ordinal);

        // Half of all download responses are cut somewhere between the first header byte and the last body byte.
        var gate = new Lock();
        await using var proxy = new FaultProxy(server.BaseAddress!, path =>
        {
            lock (gate)
            {
                return random.Next(2) == 0 && sizes.TryGetValue(path, out var bytes) ? random.NextInt64(0, bytes) : null;
            }
        });

        var template = await AgentSyncTests.EnrollAsync(server, "template", Region);
        var environment = new Dictionary<string, string>(AgentRunner.FastRetries)
        {
            ["BACKFLOW__SERVERURL"] = proxy.BaseAddress.ToString(),
            ["BACKFLOW__PROXY"] = "direct",
        };
        var wanted = expected.For(RegionScope.Parse(Region));
        int converged = 0, lost = 0, extraSyncs = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            var agent = AgentClone.Of(template, server.Root, $"trial-{trial}", withData: false);
            var database = new AgentDatabase(agent.Database);
            ProcessResult? last = null;
            for (var run = 0; run < SyncsPerTrial && !IsCurrent(database); run++)
            {
                extraSyncs += run > 0 ? 1 : 0;
                last = await AgentRunner.SyncAsync(agent, environment);
                output.WriteLine($"trial {trial} sync {run}: exit {last.ExitCode}, cuts so far {proxy.Cuts}");
            }

            if (IsCurrent(database) && Holds(database, dataset, wanted))
            {
                converged++;
            }
            else
            {
                lost++;
                output.WriteLine($"trial {trial} did not converge: {last}");
            }
        }

        FaultTally.Print(output, "downloads cut by a proxy",
            $"trials {Trials}, downloads {proxy.Downloads}, cuts {proxy.Cuts} ({proxy.Resets} resets), resumed with Range {proxy.RangeRequests}, "
            + $"extra syncs {extraSyncs}, converged {converged}, lost {lost}");
        Assert.Equal(Trials, converged);
        Assert.True(proxy.Cuts > 0, "the proxy never cut a download, so the trial tested nothing");
        Assert.True(proxy.RangeRequests > 0, "no download was resumed with Range after a cut");
    }

    private static bool IsCurrent(AgentDatabase database) =>
        database.State(AllTypesDataset.Id).TryGetValue(Region, out var state) && state.Sequence == 3;

    /// <summary>Value-by-value equal to the published rows, and backflow_state agrees with the rows themselves.</summary>
    private static bool Holds(AgentDatabase database, DatasetDefinition dataset, IReadOnlyList<object?[]> wanted)
    {
        var state = database.State(AllTypesDataset.Id)[Region];
        var recomputed = database.Recompute(dataset, AllTypesDataset.Table, Region);
        var actual = database.Rows(dataset, AllTypesDataset.Table).OrderBy(r => (long)r[0]!).ToArray();
        return state.RowCount == wanted.Count && recomputed.RowCount == state.RowCount && recomputed.SumHex == state.Checksum
            && actual.Length == wanted.Count && actual.Zip(wanted).All(p => p.First.SequenceEqual(p.Second, ValueComparer.Instance));
    }
}
