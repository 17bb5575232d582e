using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Backflow.Benchmarks;

/// <summary>
/// Item 4: "nothing new" feed polls per second with 1,000 distinct agent tokens against the real
/// <c>backflow-server run</c> on loopback. The load generator shares the machine's cores with the server, so the
/// number is a floor for what the server alone can do.
/// </summary>
/// <remarks>
/// The 1,000 agents are written straight into the metadata database (the rows <c>agents add</c> + enrollment
/// would leave: a token's SHA-256 and a grant); enrolling them one CLI process at a time would take minutes.
/// </remarks>
internal static class PollBenchmark
{
    private const int Agents = 1_000;
    private const int Concurrency = 32;

    public static async Task RunAsync(Workspace workspace, ResultTable table, TimeSpan duration)
    {
        var server = new ServerData(workspace.Root, "server-polls");
        var csv = workspace.File("polls.csv");
        await InputFiles.WriteCsvAsync(csv, PublishBenchmark.LongRange(0, 1_000), version: 1);
        await server.PublishAsync(csv);
        var tokens = SeedAgents(server.MetadataDatabase);

        await using var running = await RunningServer.StartAsync(server, workspace.Root);
        var host = running.Process;
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = running.Address, Timeout = TimeSpan.FromSeconds(30) };
        var path = $"/api/v1/feeds/{MarketRows.Dataset}/{MarketRows.Region}/changes?after=1";
        await CheckNothingNewAsync(client, path, tokens[0]);
        await LoadAsync(client, path, tokens, TimeSpan.FromSeconds(2));
        var cpuBefore = host.TotalProcessorTime;
        var (ok, failed, elapsed) = await LoadAsync(client, path, tokens, duration);
        host.Refresh();
        var cpuPerPoll = (host.TotalProcessorTime - cpuBefore).TotalMicroseconds / Math.Max(1, ok + failed);
        var peak = ChildRun.ReadHighWaterMark(host.Id);
        // Server CPU per poll is the number that survives a busy machine; req/s moves with whatever else runs.
        table.Add("4 polls", $"\"nothing new\" polls, {Agents.ToString("N0", CultureInfo.InvariantCulture)} tokens, {Concurrency} connections, {failed} errors",
            (ok / elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture) + " req/s",
            $"server CPU {cpuPerPoll.ToString("N0", CultureInfo.InvariantCulture)} µs/poll", "-", "≥ 5,000 req/s");
        table.Add("3 memory", "server peak while serving polls", ResultTable.Megabytes(peak), "-", "-", "≤ 500 MB");
    }

    private static async Task<(long Ok, long Failed, TimeSpan Elapsed)> LoadAsync(HttpClient client, string path, string[] tokens, TimeSpan duration)
    {
        long ok = 0, failed = 0, next = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                var token = tokens[Interlocked.Increment(ref next) % tokens.Length];
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await client.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                Interlocked.Increment(ref response.StatusCode == HttpStatusCode.OK ? ref ok : ref failed);
            }
        });
        await Task.WhenAll(workers);
        return (ok, failed, clock.Elapsed);
    }

    private static async Task CheckNothingNewAsync(HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || !body.Contains("\"manifests\":[]", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"a poll did not answer 200 with no manifests: {(int)response.StatusCode} {body}");
        }
    }

    private static string[] SeedAgents(string metadataDatabase)
    {
        var tokens = new string[Agents];
        using var connection = new SqliteConnection($"Data Source={metadataDatabase};Pooling=False");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var agent = connection.CreateCommand();
        agent.Transaction = transaction;
        agent.CommandText = "INSERT INTO agents (agent_id, name, regions, created_at, enrolled_at, token_hash) VALUES ($id, $id, $regions, $now, $now, $hash)";
        using var grant = connection.CreateCommand();
        grant.Transaction = transaction;
        grant.CommandText = "INSERT INTO grants (agent_id, dataset, granted_at) VALUES ($id, $dataset, $now)";
        for (var i = 0; i < Agents; i++)
        {
            tokens[i] = "bfa_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var id = "agent-bench" + i.ToString("D4", CultureInfo.InvariantCulture);
            const string now = "2026-01-01T00:00:00.000000Z";
            agent.Parameters.Clear();
            agent.Parameters.AddWithValue("$id", id);
            agent.Parameters.AddWithValue("$regions", MarketRows.Region);
            agent.Parameters.AddWithValue("$now", now);
            agent.Parameters.AddWithValue("$hash", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tokens[i]))));
            agent.ExecuteNonQuery();
            grant.Parameters.Clear();
            grant.Parameters.AddWithValue("$id", id);
            grant.Parameters.AddWithValue("$dataset", MarketRows.Dataset);
            grant.Parameters.AddWithValue("$now", now);
            grant.ExecuteNonQuery();
        }

        transaction.Commit();
        return tokens;
    }
}
