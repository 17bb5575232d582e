using System.Net;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Backflow.Server.Audit;
using Backflow.Server.Metadata;
using Backflow.Server.Tests.Functional.Kit;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace Backflow.Server.Tests.Storage;

/// <summary>The server on an Azure Blob store (Azurite): its own download route, and the changes feed's SAS URLs.</summary>
public sealed partial class AzureBlobServerTests
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
    public async Task The_agent_page_lists_issued_sas_urls_with_their_extract_and_expiry_next_to_downloads_in_chinese_and_english()
    {
        await using var server = await BackflowServer.StartAsync(settings: Settings(direct: true));
        await server.PublishAsync(new TestRow("A", "甲", "330106"));
        await server.PublishAsync(new TestRow("B", "乙", "330106"));
        var agent = await server.EnrollAgentAsync("330106");
        await AgentView.DownloadAsync(server, agent, "330106", 1);
        var direct = await server.GetJsonAsync("/api/v1/feeds/test-entities/330106/changes?direct=true", agent.Token);
        var expiresAt = direct.GetProperty("directDownloads")[1].GetProperty("expiresAt").GetString()!;
        string fileName;
        using (var connection = server.Get<MetadataDatabase>().Open())
        {
            fileName = connection.ExecuteScalar<string>("SELECT file_name FROM manifests WHERE region = '330106' AND sequence = 2")!;
        }

        await DashboardPages.SignInAsync(server, server.AddToken("operator"));
        var chinese = Rows(await DashboardPages.GetAsync(server, $"/dashboard/agents/{agent.AgentId}", utc: true));
        var english = Rows(await DashboardPages.GetAsync(server, $"/dashboard/agents/{agent.AgentId}", english: true, utc: true));

        // Newest first: the two links (sequence 2, then 1), then the download through the server.
        Assert.Equal(["sas-issued", "sas-issued", "download"], chinese.Select(r => r.Kind));
        var expiry = Timestamps.Parse(expiresAt).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        Assert.Contains("<td>直连下载授权</td>", chinese[0].Html, StringComparison.Ordinal);
        Assert.Contains($"<td>{fileName}</td><td>{expiry}</td>", chinese[0].Html, StringComparison.Ordinal);
        Assert.Contains("<td>经服务器下载</td>", chinese[2].Html, StringComparison.Ordinal);
        Assert.Contains("<td>direct download link issued</td>", english[0].Html, StringComparison.Ordinal);
        Assert.Contains($"<td>{fileName}</td><td>{expiry}</td>", english[0].Html, StringComparison.Ordinal);
        Assert.Contains("<td>download</td>", english[2].Html, StringComparison.Ordinal);
    }

    private static List<(string Kind, string Html)> Rows(string page) =>
        [.. DownloadRow().Matches(page).Select(m => (m.Groups[1].Value, m.Groups[2].Value))];

    [GeneratedRegex("""<tr data-kind="([^"]+)">(.*?)</tr>""", RegexOptions.Singleline)]
    private static partial Regex DownloadRow();

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
