using Backflow.Server.Hosting;
using Backflow.Server.Tests.Functional.Kit;

namespace Backflow.Server.Tests.Functional;

/// <summary>Typing mistakes an operator makes at the server's console: each gets one line that says what to do, and
/// nothing is created or removed on the way.</summary>
public sealed class CliMistakesTests
{
    [Theory]
    [InlineData("status")]
    [InlineData("audit")]
    [InlineData("agents", "list")]
    [InlineData("tokens", "list")]
    public async Task A_read_only_command_on_a_mistyped_data_folder_says_so_and_creates_nothing(params string[] command)
    {
        await using var server = await BackflowServer.StartAsync();
        var typo = new ServerPaths(server.Paths.DataDirectory + "-typo", server.Paths.CatalogDirectory);

        var (exit, _, error) = await CliRunner.RunAsync(typo, command);

        Assert.Equal(2, exit);
        Assert.Contains("no server data in", error, StringComparison.Ordinal);
        Assert.Contains("check --data", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(typo.DataDirectory));
    }

    [Fact]
    public async Task Audit_filters_that_match_nothing_because_of_a_typo_are_named()
    {
        await using var server = await BackflowServer.StartAsync();

        var agent = await CliRunner.RunAsync(server.Paths, "audit", "--agent", "agent-nope");
        var dataset = await CliRunner.RunAsync(server.Paths, "audit", "--dataset", "nope");
        var limit = await CliRunner.RunAsync(server.Paths, "audit", "--limit", "-5");

        Assert.Equal(2, agent.Exit);
        Assert.Contains("no agent 'agent-nope'", agent.Error, StringComparison.Ordinal);
        Assert.Equal(2, dataset.Exit);
        Assert.Contains("the catalog has no dataset 'nope'", dataset.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, limit.Exit);
        Assert.Contains("--limit must be 1 or more", limit.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_retention_window_is_refused_before_anything_is_removed()
    {
        await using var server = await BackflowServer.StartAsync();
        await server.PublishAsync(new TestRow("A", "甲", "330106"));

        var (exit, _, error) = await CliRunner.RunAsync(server.Paths, "retention", "--window-days", "-1");

        Assert.NotEqual(0, exit);
        Assert.Contains("--window-days must be 0 or more", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_given_as_the_changes_file_is_named_as_a_folder()
    {
        await using var server = await BackflowServer.StartAsync();

        var (exit, _, error) = await CliRunner.RunAsync(server.Paths, "publish", "--dataset", TestCatalog.Entities, "--file", server.Paths.DataDirectory);

        Assert.Equal(2, exit);
        Assert.Contains("is a folder", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deletes_alone_need_no_changes_file_and_nothing_at_all_is_one_clear_line()
    {
        await using var server = await BackflowServer.StartAsync();
        await server.PublishAsync(new TestRow("A", "甲", "330106"), new TestRow("B", "乙", "330106"));
        var deletes = Path.Combine(server.Paths.DataDirectory, "gone.csv");
        await File.WriteAllTextAsync(deletes, "id\nA\n");

        var deleted = await CliRunner.RunAsync(server.Paths, "publish", "--dataset", TestCatalog.Entities, "--deletes", deletes, "--json");
        var nothing = await CliRunner.RunAsync(server.Paths, "publish", "--dataset", TestCatalog.Entities);

        Assert.Equal(0, deleted.Exit);
        Assert.Equal(1, System.Text.Json.JsonDocument.Parse(deleted.Output).RootElement.GetProperty("deletes").GetInt64());
        Assert.Equal(2, nothing.Exit);
        Assert.Contains("nothing to publish: give --file", nothing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_agent_with_the_same_name_is_created_with_a_note_naming_the_first()
    {
        await using var server = await BackflowServer.StartAsync();
        string[] add = ["agents", "add", "--name", "西湖区数据资源管理局", "--regions", "330106", "--datasets", TestCatalog.Entities, "--json"];

        var first = await CliRunner.RunAsync(server.Paths, add);
        var second = await CliRunner.RunAsync(server.Paths, add);

        Assert.Equal(0, second.Exit);
        Assert.Equal(string.Empty, first.Error);
        var firstId = System.Text.Json.JsonDocument.Parse(first.Output).RootElement.GetProperty("agentId").GetString();
        Assert.Contains($"agent {firstId} (regions 330106) already has the name", second.Error, StringComparison.Ordinal);
        Assert.Contains($"agents revoke {firstId}", second.Error, StringComparison.Ordinal);
        System.Text.Json.JsonDocument.Parse(second.Output); // --json output stays clean
    }
}
