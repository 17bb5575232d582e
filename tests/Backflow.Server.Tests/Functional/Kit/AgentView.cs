using System.Text;
using System.Text.Json;
using Backflow.Protocol.Catalog;
using Backflow.Protocol.Extracts;
using Backflow.Protocol.Manifests;

namespace Backflow.Server.Tests.Functional.Kit;

/// <summary>Reads feeds as an agent would: signed manifests verified with the pinned keys, extracts read back.</summary>
internal static class AgentView
{
    public static async Task<IReadOnlyList<Manifest>> ManifestsAsync(BackflowServer server, EnrolledAgent agent, string region, string dataset = TestCatalog.Entities, long after = 0)
    {
        var changes = await server.GetJsonAsync($"/api/v1/feeds/{dataset}/{region}/changes?after={after}", agent.Token);
        var verifier = new ManifestVerifier(agent.Keys);
        return changes.GetProperty("manifests").EnumerateArray().Select(envelope =>
        {
            var verification = verifier.Verify(Encoding.UTF8.GetBytes(envelope.GetRawText()));
            Assert.True(verification.Succeeded, verification.Message);
            return verification.Manifest!;
        }).ToList();
    }

    public static async Task<byte[]> DownloadAsync(BackflowServer server, EnrolledAgent agent, string region, long sequence, string dataset = TestCatalog.Entities)
    {
        using var response = await server.GetAsync($"/api/v1/extracts/{dataset}/{region}/{sequence}", agent.Token);
        Assert.True(response.IsSuccessStatusCode, $"download {dataset}/{region}/{sequence}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    public static async Task<List<ExtractRow>> ReadAsync(byte[] extract, DatasetDefinition dataset)
    {
        await using var reader = await ExtractReader.OpenAsync(new MemoryStream(extract), dataset);
        var rows = new List<ExtractRow>();
        await foreach (var row in reader.ReadAllAsync())
        {
            rows.Add(row);
        }

        return rows;
    }

    public static async Task<JsonElement> FeedAsync(BackflowServer server, EnrolledAgent agent, string region, string dataset = TestCatalog.Entities) =>
        await server.GetJsonAsync($"/api/v1/feeds/{dataset}/{region}/changes", agent.Token);
}
