using System.Net;
using System.Net.Http.Json;
using System.Text;
using Backflow.Server.Agents;
using Backflow.Server.Audit;
using Backflow.Server.Hosting;
using Backflow.Server.Tests.Functional.Kit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Backflow.Server.Tests.Functional;

public sealed class EnrollmentTests
{
    [Fact]
    public async Task An_enrollment_code_works_once()
    {
        await using var server = await BackflowServer.StartAsync();
        var added = server.Get<AgentRegistry>().Add("西湖区", "330106", [TestCatalog.Entities], null, "test");
        var typed = " " + added.EnrollmentCode.Replace("-", " ", StringComparison.Ordinal).ToLowerInvariant() + " ";

        using var first = await server.Http.PostAsJsonAsync("/api/v1/enroll", new { code = typed });
        using var second = await server.Http.PostAsJsonAsync("/api/v1/enroll", new { code = added.EnrollmentCode });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await ProblemAssert.AssertAsync(second, HttpStatusCode.Unauthorized, "enrollment-failed");
    }

    [Fact]
    public async Task An_expired_enrollment_code_is_refused()
    {
        using var folder = new TempServerFolder();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
        using var services = new ServiceCollection().AddBackflowServer(folder.NewPaths()).AddSingleton<TimeProvider>(time).BuildServiceProvider();
        var agents = services.GetRequiredService<AgentRegistry>();
        var late = agents.Add("迟到", "330106", [TestCatalog.Entities], null, "test");
        var onTime = agents.Add("准时", "330108", [TestCatalog.Entities], null, "test");

        time.Advance(AgentRegistry.EnrollmentLifetime - TimeSpan.FromMinutes(1));
        Assert.NotNull(agents.Enroll(onTime.EnrollmentCode, "test"));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(agents.Enroll(late.EnrollmentCode, "test"));

        Assert.Contains(services.GetRequiredService<AuditLog>().Query(null, late.AgentId, null),
            r => r.Kind == AuditKinds.EnrollmentFailed && r.Detail == "expired code");
    }

    [Fact]
    public async Task Tokens_and_codes_are_stored_only_as_hashes()
    {
        await using var server = await BackflowServer.StartAsync();
        var pending = server.Get<AgentRegistry>().Add("未注册", "330106", [TestCatalog.Entities], null, "test");
        var agent = await server.EnrollAgentAsync("330106");
        var publisher = server.AddToken("publisher");
        var @operator = server.AddToken("operator");

        var stored = ReadShared(server.Paths.MetadataDatabase) + ReadShared(server.Paths.MetadataDatabase + "-wal");

        foreach (var secret in new[] { agent.Token, publisher, @operator, pending.EnrollmentCode, pending.EnrollmentCode.Replace("-", string.Empty, StringComparison.Ordinal) })
        {
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_revoked_agent_is_refused_at_once()
    {
        await using var server = await BackflowServer.StartAsync();
        var agent = await server.EnrollAgentAsync("330106");
        using (var before = await server.GetAsync("/api/v1/feeds", agent.Token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var (exit, _, error) = await CliRunner.RunAsync(server.Paths, "agents", "revoke", agent.AgentId);

        Assert.True(exit == 0, error);
        using var after = await server.GetAsync("/api/v1/feeds", agent.Token);
        await ProblemAssert.AssertAsync(after, HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task A_conditional_dataset_is_granted_only_with_a_recorded_approval()
    {
        await using var server = await BackflowServer.StartAsync();

        var refused = await CliRunner.RunAsync(server.Paths, "agents", "add", "--name", "杭州", "--regions", "330100", "--datasets", "household-changes");
        var granted = await CliRunner.RunAsync(server.Paths, "agents", "add", "--name", "杭州", "--regions", "330100", "--datasets", "household-changes", "--approved-by", "浙数〔2026〕12号");

        Assert.Equal(2, refused.Exit);
        Assert.Contains("--approved-by", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refused.Error, StringComparison.Ordinal);
        Assert.True(granted.Exit == 0, granted.Error);
        var agent = Assert.Single(server.Get<AgentRegistry>().List());
        Assert.Equal("浙数〔2026〕12号", Assert.Single(agent.Grants).ApprovedBy);
    }

    [Fact]
    public async Task A_dataset_with_share_type_none_is_never_granted()
    {
        await using var server = await BackflowServer.StartAsync();
        var added = await CliRunner.RunAsync(server.Paths, "agents", "add", "--name", "杭州", "--regions", "330100", "--datasets", TestCatalog.Secret, "--approved-by", "某某");
        var agent = server.Get<AgentRegistry>().Add("西湖区", "330106", [TestCatalog.Entities], null, "test");

        var granted = await CliRunner.RunAsync(server.Paths, "agents", "grant", agent.AgentId, "--datasets", TestCatalog.Secret, "--approved-by", "某某");

        Assert.Equal(2, added.Exit);
        Assert.Contains("can never be granted", added.Error, StringComparison.Ordinal);
        Assert.Equal(2, granted.Exit);
        Assert.Contains("can never be granted", granted.Error, StringComparison.Ordinal);
        Assert.Equal([TestCatalog.Entities], server.Get<AgentRegistry>().Get(agent.AgentId).Grants.Select(g => g.Dataset));
    }

    private static string ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        return reader.ReadToEnd();
    }
}
