using System.Diagnostics;
using Backflow.EndToEnd.Tests.Kit;
using Backflow.Protocol.Hashing;

namespace Backflow.EndToEnd.Tests.Faults;

/// <summary>
/// <c>backflow-server publish</c> killed with SIGKILL at random points: no manifest ever points at a missing or
/// partial file, sequences stay contiguous, and re-publishing with the same publish id yields exactly one extract
/// per region — the first run's if it had committed, else the retry's.
/// </summary>
public sealed class ServerKillDuringPublishTests(ITestOutputHelper output)
{
    private const int Trials = 20;
    private const int Rows = 8_000;

    [Fact]
    public async Task A_server_killed_during_publish_never_leaves_a_partial_extract_and_a_retry_publishes_exactly_once()
    {
        await using var server = new ServerProcess();
        var store = new ServerStore(server.DataDirectory);
        var random = new Random(11);
        await server.CliJsonAsync("publish", "--dataset", MarketCsv.Dataset, "--file", MarketCsv.Write(Path.Combine(server.Root, "v0.csv"), Rows, 0));
        int killedBeforeCommit = 0, killedAfterCommit = 0, partial = 0;
        for (var trial = 1; trial <= Trials; trial++)
        {
            var file = MarketCsv.Write(Path.Combine(server.Root, $"v{trial}.csv"), Rows, trial);
            var publishId = $"kill-trial-{trial}";
            string[] args = ["publish", "--dataset", MarketCsv.Dataset, "--file", file, "--publish-id", publishId, "--json", "--data", server.DataDirectory, "--catalog", server.CatalogDirectory];
            using (var publish = Process.Start(DotnetProcess.StartInfo(RepoPaths.ServerDll, args, server.Root))!)
            {
                _ = publish.StandardOutput.ReadToEndAsync();
                _ = publish.StandardError.ReadToEndAsync();
                await Task.Delay(random.Next(100, 2500));
                if (!publish.HasExited)
                {
                    publish.Kill(entireProcessTree: true);
                }

                await publish.WaitForExitAsync();
            }

            var committed = store.PublishIds().Contains(publishId);
            _ = committed ? killedAfterCommit++ : killedBeforeCommit++;
            partial += await CountBrokenAsync(store);
            Assert.Equal(committed ? MarketCsv.Regions.Length : 0, store.Extracts().Count(e => e.PublishId == publishId));

            var retry = await server.CliJsonAsync("publish", "--dataset", MarketCsv.Dataset, "--file", file, "--publish-id", publishId);
            Assert.Equal(committed, retry.GetProperty("repeated").GetBoolean());
            var again = await server.CliJsonAsync("publish", "--dataset", MarketCsv.Dataset, "--file", file, "--publish-id", publishId);
            Assert.True(again.GetProperty("repeated").GetBoolean());
            Assert.Equal(MarketCsv.Regions.Length, store.Extracts().Count(e => e.PublishId == publishId));
            partial += await CountBrokenAsync(store);
        }

        foreach (var region in MarketCsv.Regions)
        {
            Assert.Equal(Trials + 1, store.LatestSequences()[MarketCsv.Dataset + "/" + region]);
        }

        FaultTally.Print(output, "server SIGKILL during publish",
            $"trials {Trials}, killed before commit {killedBeforeCommit}, killed after commit {killedAfterCommit}, exactly-once {Trials}, partial {partial}, lost 0");
        Assert.Equal(0, partial);
    }

    /// <summary>Manifests whose file is missing or differs from the manifest's bytes and SHA-256, plus sequence gaps.</summary>
    private static async Task<int> CountBrokenAsync(ServerStore store)
    {
        var broken = 0;
        var extracts = store.Extracts();
        foreach (var extract in extracts)
        {
            if (!File.Exists(extract.Path))
            {
                broken++;
                continue;
            }

            await using var stream = File.OpenRead(extract.Path);
            var (sha256, length) = await ContentHash.ComputeAsync(stream);
            broken += sha256 == extract.Sha256 && length == extract.Bytes ? 0 : 1;
        }

        foreach (var feed in extracts.GroupBy(e => (e.Dataset, e.Region)))
        {
            var sequences = feed.Select(e => e.Sequence).Order().ToArray();
            broken += sequences.SequenceEqual(Enumerable.Range(1, sequences.Length).Select(i => (long)i)) ? 0 : 1;
        }

        return broken;
    }
}
