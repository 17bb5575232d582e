using Backflow.Agent.Sync;
using Backflow.Agent.Tests.Support;

namespace Backflow.Agent.Tests.Downloads;

public sealed class ResumeTests
{
    [Fact]
    public async Task A_download_cut_part_way_resumes_with_Range_and_completes()
    {
        await using var agent = await AgentFixture.StartAsync();
        var extract = await agent.Server.PublishAsync("330106", 1, rows: 200);
        extract.CutAfter = extract.File.Length / 3;

        var feed = agent.Only(await agent.SyncAsync());

        Assert.Equal(FeedOutcome.Current, feed.Outcome);
        Assert.Equal(200, Assert.Single(agent.Target.Applied).Rows);
        var requests = agent.Server.ExtractRequests.ToArray();
        Assert.Equal(2, requests.Length);
        // Resumed from what arrived before the cut (at most the cut point), not from zero.
        var from = long.Parse(System.Text.RegularExpressions.Regex.Match(requests[1], @"range=bytes=(\d+)-").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(from, 1, extract.File.Length / 3);
        Assert.Contains("if-range=\"", requests[1], StringComparison.Ordinal);
    }
}
