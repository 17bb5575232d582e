using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Backflow.Server.Audit;
using Backflow.Server.Tests.Functional.Kit;

namespace Backflow.Server.Tests.Functional;

public sealed class ExtractDownloadTests
{
    [Fact]
    public async Task A_range_request_resumes_the_download_and_is_audited_with_its_bytes()
    {
        await using var server = await BackflowServer.StartAsync();
        await server.PublishAsync(new TestRow("A", "甲", "330106"), new TestRow("B", "乙", "330106"));
        var agent = await server.EnrollAgentAsync("330106");
        var whole = await AgentView.DownloadAsync(server, agent, "330106", 1);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(whole));

        using var response = await server.GetAsync("/api/v1/extracts/test-entities/330106/1", agent.Token, r => r.Headers.Range = new RangeHeaderValue(10, null));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("application/vnd.apache.parquet", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"\"{sha256}\"", response.Headers.ETag?.ToString());
        Assert.Equal(whole[10..], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(whole.Length, response.Content.Headers.ContentRange?.Length);
        var downloads = await WaitForDownloadsAsync(server, agent, 2);
        Assert.Equal([whole.Length - 10L, whole.Length], downloads.Select(d => d.Bytes!.Value));
        Assert.All(downloads, d => Assert.Equal((TestCatalog.Entities, "330106", 1L), (d.Dataset!, d.Region!, d.Sequence!.Value)));
    }

    [Fact]
    public async Task An_extract_that_does_not_exist_is_404_not_found()
    {
        await using var server = await BackflowServer.StartAsync();
        await server.PublishAsync(new TestRow("A", "甲", "330106"));
        var agent = await server.EnrollAgentAsync("330106");

        using var response = await server.GetAsync("/api/v1/extracts/test-entities/330106/2", agent.Token);

        await ProblemAssert.AssertAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    private static async Task<List<AuditRecord>> WaitForDownloadsAsync(BackflowServer server, EnrolledAgent agent, int count)
    {
        // The download is audited when the response completes, which the client may see a moment earlier.
        for (var i = 0; ; i++)
        {
            var downloads = server.Get<AuditLog>().Query(null, agent.AgentId, null).Where(r => r.Kind == AuditKinds.Download).OrderByDescending(r => r.Id).ToList();
            if (downloads.Count >= count || i == 100)
            {
                Assert.Equal(count, downloads.Count);
                return downloads;
            }

            await Task.Delay(50);
        }
    }
}
