using Backflow.EndToEnd.Tests.Kit;

namespace Backflow.EndToEnd.Tests;

/// <summary>The agent's messages for the mistakes county IT makes, against a real server and real agent processes.</summary>
public sealed class AgentCliErrorTests
{
    [Fact]
    public async Task A_used_code_and_a_second_enrollment_into_the_same_folder_get_one_clear_line_each()
    {
        await using var server = new ServerProcess();
        AllTypesDataset.Install(server.CatalogDirectory);
        await server.StartAsync();
        var created = await server.CliJsonAsync("agents", "add", "--name", "county", "--regions", "330106", "--datasets", AllTypesDataset.Id);
        var code = created.GetProperty("enrollmentCode").GetString()!;
        var agent = new AgentProcess(server.Root, "county");
        await agent.EnrollAsync(server.BaseAddress!, code);

        // The same folder again, with another (fresh) code: refused before the code is spent.
        var other = await server.CliJsonAsync("agents", "add", "--name", "county-2", "--regions", "330102", "--datasets", AllTypesDataset.Id);
        var second = await agent.CliAsync("enroll", "--server", server.BaseAddress!.ToString(), "--code", other.GetProperty("enrollmentCode").GetString()!);
        Assert.True(second.ExitCode == 2, second.ToString());
        Assert.Contains("regions 330106", second.Error, StringComparison.Ordinal);
        Assert.Contains("--force", second.Error, StringComparison.Ordinal);

        // The used code, into a fresh folder: one sentence for county IT, no operator command.
        var fresh = new AgentProcess(server.Root, "fresh");
        var used = await fresh.CliAsync("enroll", "--server", server.BaseAddress!.ToString(), "--code", code);
        Assert.True(used.ExitCode == 1, used.ToString());
        Assert.Equal(
            "error: enroll: the server refused the enrollment code (HTTP 401): it is unknown, already used or expired; ask the provincial operator for a new one.",
            used.Error.Trim());

        // --force replaces the identity with the second agent's.
        var forced = await agent.CliAsync("enroll", "--server", server.BaseAddress!.ToString(), "--code", other.GetProperty("enrollmentCode").GetString()!, "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("regions 330102", forced.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_while_the_server_is_down_is_one_line_without_stack_traces()
    {
        await using var server = new ServerProcess();
        AllTypesDataset.Install(server.CatalogDirectory);
        await server.StartAsync();
        var agent = await AgentSyncTests.EnrollAsync(server, "county", "330106");
        await server.StopAsync();
        agent.Environment["BACKFLOW__RETRYDELAY"] = "00:00:00.050";

        var result = await agent.SyncAsync();

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"error: sync: could not list feeds: cannot reach {server.BaseAddress!.GetLeftPart(UriPartial.Authority)} (connection refused)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot reach", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Polly", result.Error, StringComparison.Ordinal);
    }
}
