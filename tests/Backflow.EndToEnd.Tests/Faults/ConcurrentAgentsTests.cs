using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Backflow.EndToEnd.Tests.Kit;
using Backflow.Protocol.Regions;

namespace Backflow.EndToEnd.Tests.Faults;

/// <summary>
/// 200 simulated agents (in-test API clients, see <see cref="SimulatedAgent"/>; 200 agent processes would not fit on
/// two cores) sync against one real server while a publisher keeps publishing over HTTP, for the issue's 2 minutes.
/// The 200 enrollment codes come from one <c>agents add --from-file</c> run: one CLI process per agent used to take
/// about as long as the load phase itself.
/// </summary>
public sealed class ConcurrentAgentsTests(ITestOutputHelper output)
{
    private const int Agents = 200;
    private static readonly TimeSpan LoadPhase = TimeSpan.FromMinutes(2);
    private static readonly string[] Scopes = ["330106", "330102", "330108", "330100"];
    private static readonly string[] Counties = ["330106", "330102", "330108"];

    [Fact]
    public async Task Two_hundred_agents_syncing_while_publishing_continues_all_verify_and_reach_the_latest_sequences()
    {
        await using var server = new ServerProcess();
        AllTypesDataset.Install(server.CatalogDirectory);
        var random = new Random(53);
        await server.StartAsync();

        // Enrollment codes come from the real CLI, all 200 agents in one batch-file run.
        var batch = Path.Combine(server.Root, "agents.csv");
        await File.WriteAllLinesAsync(batch, ["name,regions,datasets", .. Enumerable.Range(0, Agents).Select(i => $"sim-{i},{Scopes[i % Scopes.Length]},{AllTypesDataset.Id}")]);
        var created = await server.CliJsonAsync("agents", "add", "--from-file", batch);
        var codes = created.EnumerateArray().Select(a => a.GetProperty("enrollmentCode").GetString()!).ToArray();
        Assert.Equal(Agents, codes.Length);

        var publisherToken = (await server.CliJsonAsync("tokens", "add", "--role", "publisher")).GetProperty("token").GetString()!;
        using var publisher = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        publisher.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", publisherToken);
        var nextId = 1L;
        var publishes = 0;
        var publishErrors = new List<string>();
        // How long each publish waited and ran: a publish starved of SQLite's write lock by agents' writes shows here.
        var publishLatencies = new LatencyRecorder();
        async Task PublishAsync()
        {
            var started = Stopwatch.GetTimestamp();
            var rows = Enumerable.Range(0, 300).Select(i => AllTypesDataset.Row(nextId++, Counties[i % Counties.Length], random)).ToList();
            using var content = new StringContent(AllTypesDataset.Csv(rows), new UTF8Encoding(false), "text/csv");
            using var response = await publisher.PostAsync(new Uri($"/api/v1/datasets/{AllTypesDataset.Id}/changesets", UriKind.Relative), content);
            publishLatencies.Add(started);
            _ = response.IsSuccessStatusCode ? publishes++ : 0;
            if (!response.IsSuccessStatusCode)
            {
                publishErrors.Add($"publish answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        await PublishAsync();
        var latencies = new LatencyRecorder();
        var agents = codes.Select(code => new SimulatedAgent(server.BaseAddress!, code, latencies)).ToArray();
        try
        {
            await Task.WhenAll(agents.Select(a => a.EnrollAsync()));
            using var stop = new CancellationTokenSource(LoadPhase);
            var running = agents.Select((a, i) => Task.Run(() => a.RunAsync(new Random(i), stop.Token))).ToArray();
            while (!stop.IsCancellationRequested)
            {
                await PublishAsync();
                await Task.Delay(TimeSpan.FromSeconds(2));
            }

            await Task.WhenAll(running);

            // Publishing has stopped: one more pass (two if a publish landed between a feed list and its changes).
            await Task.WhenAll(agents.Select(async a =>
            {
                await a.SyncOnceAsync();
                await a.SyncOnceAsync();
            }));

            var latest = new ServerStore(server.DataDirectory).LatestSequences();
            var behind = 0;
            var behindAgents = new HashSet<int>();
            for (var i = 0; i < Agents; i++)
            {
                var scope = RegionScope.Parse(Scopes[i % Scopes.Length]);
                foreach (var (feed, sequence) in latest.Where(f => scope.Covers(RegionCode.Parse(f.Key.Split('/')[1]))))
                {
                    if (agents[i].Applied.GetValueOrDefault(feed) != sequence)
                    {
                        behind++;
                        behindAgents.Add(i);
                        output.WriteLine($"sim-{i} holds {feed} at {agents[i].Applied.GetValueOrDefault(feed)}, the server at {sequence}");
                    }
                }
            }

            var errors = agents.SelectMany(a => a.Errors).Concat(publishErrors).ToArray();
            foreach (var error in errors.Take(20))
            {
                output.WriteLine("error: " + error);
            }

            var converged = Enumerable.Range(0, Agents).Count(i => agents[i].Errors.Count == 0 && !behindAgents.Contains(i));
            FaultTally.Print(output, "200 agents under continuous publishing",
                $"agents {Agents}, load {LoadPhase.TotalSeconds:0} s, publishes {publishes}, feeds {latest.Count} (latest {string.Join(", ", latest.Values.Distinct())}), "
                + $"requests {latencies.Count}, downloads {agents.Sum(a => a.Downloads)}, p50 {latencies.Percentile(50):0.0} ms, p99 {latencies.Percentile(99):0.0} ms, "
                + $"publish p50 {publishLatencies.Percentile(50):0} ms, max {publishLatencies.Percentile(100):0} ms, "
                + $"errors {errors.Length}, converged {converged}, feeds behind {behind}");
            Assert.Empty(errors);
            Assert.Equal(0, behind);
            // Counted, not timed: at least one publish beyond the first must land while the agents poll.
            Assert.True(publishes >= 2, $"only {publishes} publish(es) landed; publishing did not continue during the load");
        }
        finally
        {
            foreach (var agent in agents)
            {
                agent.Dispose();
            }
        }
    }
}
