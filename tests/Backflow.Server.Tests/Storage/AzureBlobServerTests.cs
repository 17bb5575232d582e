using System.Net;
using System.Net.Http.Headers;
using Backflow.Server.Audit;
using Backflow.Server.Tests.Functional.Kit;
using Microsoft.Extensions.Time.Testing;

namespace Backflow.Server.Tests.Storage;

/// <summary>The server on an Azure Blob store (Azurite): its own download route, and the changes feed's SAS URLs.</summary>
public sealed class AzureBlobServerTests
{
    [Fact]
    public async Task The_server_download_route_serves_whole_files_and_ranges_from_blob_storage()
    {
        await using var server = await BackflowServer.StartAsync(settings: Settings(direct: false));
        await server.PublishAsync(new TestRow("A", "甲", "330106"), new TestRow("B", "乙", "330106"));
        var agent = await server.EnrollAgentAsync("330106");

        var whole = await AgentView.DownloadAsync(server, agent, "330106", 1);
        using var ranged = await server.GetAsync("/api/v1/extracts/test-entities/330106/1", agent.Token, r => r.Headers.Range = new RangeHeaderValue(10, 29));

        Assert.Equal(2, (await AgentView.ReadAsync(whole, server.Dataset())).Count);
        Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
        Assert.Equal(whole[10..30], await ranged.Content.ReadAsByteArrayAsync());
        Assert.Empty(Directory.EnumerateFiles(server.Paths.ExtractsDirectory, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Changes_hand_sas_urls_only_to_agents_that_ask_and_each_one_is_audited_with_its_expiry()
    {
        await using var server = await BackflowServer.StartAsync(settings: Settings(direct: true));
        await server.PublishAsync(new TestRow("A", "甲", "330106"));
        await server.PublishAsync(new TestRow("B", "乙", "330106"));
        var agent = await server.EnrollAgentAsync("330106");

        var plain = await server.GetJsonAsync("/api/v1/feeds/test-entities/330106/changes", agent.Token);
        var direct = await server.GetJsonAsync("/api/v1/feeds/test-entities/330106/changes?direct=true", agent.Token);

        Assert.False(plain.TryGetProperty("directDownloads", out _));
        var links = direct.GetProperty("directDownloads").EnumerateArray().ToList();
        Assert.Equal([1L, 2L], links.Select(l => l.GetProperty("sequence").GetInt64()));
        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync(new Uri(links[0].GetProperty("url").GetString()!));
        Assert.Equal(await AgentView.DownloadAsync(server, agent, "330106", 1), bytes);
        var issued = server.Get<AuditLog>().Query(null, agent.AgentId, null).Where(r => r.Kind == AuditKinds.SasIssued).OrderBy(r => r.Sequence).ToList();
        Assert.Equal([1L, 2L], issued.Select(r => r.Sequence!.Value));
        Assert.All(issued, r => Assert.Contains("valid until " + links[(int)r.Sequence!.Value - 1].GetProperty("expiresAt").GetString(), r.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sas_url_stops_working_when_its_lifetime_is_over()
    {
        // The server's clock an hour behind storage's: a 15-minute URL is already over by storage's clock.
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow().AddHours(-1));
        await using var server = await BackflowServer.StartAsync(time, settings: Settings(direct: true));
        await server.PublishAsync(new TestRow("A", "甲", "330106"));
        var agent = await server.EnrollAgentAsync("330106");

        var direct = await server.GetJsonAsync("/api/v1/feeds/test-entities/330106/changes?direct=true", agent.Token);
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(direct.GetProperty("directDownloads")[0].GetProperty("url").GetString()!));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static Dictionary<string, string?> Settings(bool direct) => AzureSettings.For(Azurite.NewContainer(), direct);
}
