using System.Text.Json;
using Backflow.Server.Tests.Functional.Kit;

namespace Backflow.Server.Tests.Operations;

public sealed class StatusTests
{
    [Fact]
    public async Task Status_tells_current_behind_late_blocked_and_never_synced_feeds_apart()
    {
        await using var fx = await StatusFixture.CreateAsync();
        var status = await fx.Server.GetJsonAsync("/api/v1/status", fx.OperatorToken);

        var current = Feed(status, fx.Current, TestCatalog.Entities);
        Assert.Equal("current", current.GetProperty("state").GetString());
        Assert.Equal(2, current.GetProperty("appliedSequence").GetInt64());
        Assert.Equal(0, current.GetProperty("lagExtracts").GetInt64());
        Assert.Equal("verified", current.GetProperty("lastVerification").GetString());

        var late = Feed(status, fx.Late, TestCatalog.Entities);
        Assert.Equal("late", late.GetProperty("state").GetString());
        Assert.Equal(1, late.GetProperty("appliedSequence").GetInt64());
        Assert.Equal(1, late.GetProperty("lagExtracts").GetInt64());
        Assert.Equal(TimeSpan.FromDays(2).TotalSeconds, late.GetProperty("lagSeconds").GetDouble());
        Assert.Equal("failed", late.GetProperty("lastOutcome").GetString());
        Assert.Equal("connection refused", late.GetProperty("lastError").GetString());
        Assert.Equal(JsonValueKind.Null, late.GetProperty("lastVerification").ValueKind);

        var behind = Feed(status, fx.Behind, TestCatalog.Entities);
        Assert.Equal("behind", behind.GetProperty("state").GetString());
        Assert.Equal(TimeSpan.FromHours(1).TotalSeconds, behind.GetProperty("lagSeconds").GetDouble());

        var blocked = Feed(status, fx.Blocked, TestCatalog.Entities);
        Assert.Equal("blocked", blocked.GetProperty("state").GetString());
        Assert.True(blocked.GetProperty("blocked").GetBoolean());

        var never = Feed(status, fx.Never, TestCatalog.Entities);
        Assert.Equal("never-synced", never.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, never.GetProperty("appliedSequence").ValueKind);
        Assert.Equal(2, never.GetProperty("lagExtracts").GetInt64());
        Assert.Equal(TimeSpan.FromDays(2) + TimeSpan.FromHours(1), TimeSpan.FromSeconds(never.GetProperty("lagSeconds").GetDouble()));

        var totals = status.GetProperty("totals");
        Assert.Equal(6, totals.GetProperty("feeds").GetInt32());
        Assert.Equal((1, 2, 1, 1, 1), (totals.GetProperty("current").GetInt32(), totals.GetProperty("behind").GetInt32(),
            totals.GetProperty("late").GetInt32(), totals.GetProperty("blocked").GetInt32(), totals.GetProperty("neverSynced").GetInt32()));
        Assert.Equal(6, totals.GetProperty("agents").GetInt32());
    }

    [Fact]
    public async Task A_monthly_dataset_two_days_behind_is_behind_not_late()
    {
        await using var fx = await StatusFixture.CreateAsync();
        var status = await fx.Server.GetJsonAsync("/api/v1/status", fx.OperatorToken);
        var monthly = Feed(status, fx.MonthlyBehind, TestCatalog.Monthly);
        Assert.Equal(TimeSpan.FromDays(2).TotalSeconds, monthly.GetProperty("lagSeconds").GetDouble());
        Assert.Equal("behind", monthly.GetProperty("state").GetString());
        Assert.Equal("monthly", monthly.GetProperty("updateCycle").GetString());
    }

    [Fact]
    public async Task Lagging_filter_leaves_out_current_feeds_and_keeps_fleet_totals()
    {
        await using var fx = await StatusFixture.CreateAsync();
        var status = await fx.Server.GetJsonAsync("/api/v1/status?lagging=true", fx.OperatorToken);
        var feeds = status.GetProperty("feeds").EnumerateArray().ToList();
        Assert.Equal(5, feeds.Count);
        Assert.DoesNotContain(feeds, f => f.GetProperty("agentId").GetString() == fx.Current.AgentId);
        Assert.Equal(6, status.GetProperty("totals").GetProperty("feeds").GetInt32());
    }

    [Fact]
    public async Task Status_needs_an_operator_token()
    {
        await using var fx = await StatusFixture.CreateAsync();
        using var anonymous = await fx.Server.GetAsync("/api/v1/status", null);
        await ProblemAssert.AssertAsync(anonymous, System.Net.HttpStatusCode.Unauthorized, "unauthenticated");
        using var asAgent = await fx.Server.GetAsync("/api/v1/status", fx.Current.Token);
        await ProblemAssert.AssertAsync(asAgent, System.Net.HttpStatusCode.Forbidden, "wrong-role");
    }

    [Fact]
    public async Task Status_command_prints_the_lagging_feeds_as_a_table_and_as_json()
    {
        await using var fx = await StatusFixture.CreateAsync();
        var (exit, output, error) = await CliRunner.RunAsync(fx.Server.Paths, "status", "--lagging");
        Assert.True(exit == 0, error);
        Assert.Contains("blocked", output, StringComparison.Ordinal);
        Assert.Contains("signature of sequence 2 does not verify", output, StringComparison.Ordinal);
        Assert.DoesNotContain(fx.Current.AgentId, output, StringComparison.Ordinal);
        Assert.Contains("6 feed(s)", output, StringComparison.Ordinal);

        (exit, output, error) = await CliRunner.RunAsync(fx.Server.Paths, "status", "--json");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(6, json.RootElement.GetProperty("feeds").GetArrayLength());
    }

    private static JsonElement Feed(JsonElement status, EnrolledAgent agent, string dataset) =>
        status.GetProperty("feeds").EnumerateArray().Single(f =>
            f.GetProperty("agentId").GetString() == agent.AgentId && f.GetProperty("dataset").GetString() == dataset);
}
