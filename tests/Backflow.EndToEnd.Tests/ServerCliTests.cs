using Backflow.EndToEnd.Tests.Kit;

namespace Backflow.EndToEnd.Tests;

/// <summary>The server as an operator runs it: the real executable, its CLI and its HTTP API.</summary>
public sealed class ServerCliTests
{
    [Fact]
    public async Task Publish_prints_one_line_per_region_and_the_feed_serves_it()
    {
        await using var server = new ServerProcess();
        var publish = await server.CliJsonAsync("publish", "--dataset", "market-entities", "--file", Path.Combine(RepoPaths.Root, "config", "samples", "market-entities.csv"));

        var regions = publish.GetProperty("regions").EnumerateArray().Select(r => r.GetProperty("region").GetString()!).ToArray();
        Assert.Equal(new[] { "330102", "330105", "330106", "330108" }, regions);
        Assert.All(publish.GetProperty("regions").EnumerateArray(), r => Assert.Equal(1, r.GetProperty("sequence").GetInt64()));

        var agent = await server.CliJsonAsync("agents", "add", "--name", "西湖区", "--regions", "330106", "--datasets", "market-entities");
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var enroll = await http.PostAsJsonAsync(new Uri("/api/v1/enroll", UriKind.Relative), new { code = agent.GetProperty("enrollmentCode").GetString() });
        Assert.True(enroll.IsSuccessStatusCode, await enroll.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_refused_command_exits_2_with_one_readable_line()
    {
        await using var server = new ServerProcess();

        var result = await server.CliAsync("agents", "add", "--name", "x", "--regions", "33010", "--datasets", "market-entities");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'33010' is not a region code", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agents_add_from_a_file_checks_every_line_first_and_creates_nothing_when_one_is_wrong()
    {
        await using var server = new ServerProcess();
        var file = Path.Combine(server.Root, "agents.csv");
        await File.WriteAllLinesAsync(file, ["name,regions,datasets", "西湖区,330106,market-entities", "上城区,33010,market-entities", ",330108,market-entities"]);

        var refused = await server.CliAsync("agents", "add", "--from-file", file);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("line 3: column regions: '33010' is not a region code", refused.Error, StringComparison.Ordinal);
        Assert.Contains("line 4: column name is empty", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await server.CliJsonAsync("agents", "list")).GetArrayLength());

        await File.WriteAllLinesAsync(file, ["name,regions,datasets", "西湖区,330106,market-entities", "\"杭州市, 全市\",330100;330106,market-entities"]);
        var created = await server.CliJsonAsync("agents", "add", "--from-file", file);
        Assert.Equal(["330106", "330100,330106"], created.EnumerateArray().Select(a => a.GetProperty("regions").GetString()!).ToArray());
        Assert.All(created.EnumerateArray(), a => Assert.False(string.IsNullOrEmpty(a.GetProperty("enrollmentCode").GetString())));
    }

    [Fact]
    public async Task Agents_add_from_a_gbk_file_is_refused_unless_declared_then_keeps_its_chinese_names()
    {
        await using var server = new ServerProcess();
        var file = Path.Combine(server.Root, "agents-gbk.csv");
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        await File.WriteAllTextAsync(file, "name,regions,datasets,approved_by\n西湖区数据资源管理局,330106,market-entities,浙数局〔2026〕13号\n", System.Text.Encoding.GetEncoding("GBK"));

        var refused = await server.CliAsync("agents", "add", "--from-file", file);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("add --encoding gb18030", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await server.CliJsonAsync("agents", "list")).GetArrayLength());

        var created = await server.CliJsonAsync("agents", "add", "--from-file", file, "--encoding", "gbk");
        Assert.Equal("西湖区数据资源管理局", created.EnumerateArray().Single().GetProperty("name").GetString());

        var folder = await server.CliAsync("agents", "add", "--from-file", server.Root);
        Assert.Contains("is a folder", folder.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_command()
    {
        await using var server = new ServerProcess();

        var result = await server.CliAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "run", "publish", "agents", "tokens", "keys", "audit" })
        {
            Assert.Contains(command, result.Output, StringComparison.Ordinal);
        }
    }
}
