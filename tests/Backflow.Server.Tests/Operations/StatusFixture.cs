using Backflow.Server.Security;
using Backflow.Server.Tests.Functional.Kit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Backflow.Server.Tests.Operations;

/// <summary>
/// A fleet with one feed in every state, on a fake clock. Times relative to T0: entities/330106 seq 1 at T0 and seq 2
/// at T0+1h; entities/330108 seq 1 at T0 and seq 2 one hour before now; monthly/330106 seq 1 at T0 and seq 2 at
/// T0+1h; now is T0+1h+2d.
/// </summary>
internal sealed class StatusFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private StatusFixture(BackflowServer server, FakeTimeProvider clock) => (Server, Clock) = (server, clock);

    public BackflowServer Server { get; }

    public FakeTimeProvider Clock { get; }

    public EnrolledAgent Current { get; private set; } = null!;

    public EnrolledAgent Behind { get; private set; } = null!;

    public EnrolledAgent Late { get; private set; } = null!;

    public EnrolledAgent Blocked { get; private set; } = null!;

    public EnrolledAgent Never { get; private set; } = null!;

    public EnrolledAgent MonthlyBehind { get; private set; } = null!;

    public string OperatorToken { get; private set; } = null!;

    public static async Task<StatusFixture> CreateAsync(Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure = null)
    {
        var clock = new FakeTimeProvider(T0);
        var fixture = new StatusFixture(await BackflowServer.StartAsync(clock, configure), clock);
        await fixture.BuildAsync();
        return fixture;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private async Task BuildAsync()
    {
        var s = Server;
        OperatorToken = s.AddToken("operator");
        await s.PublishAsync(new TestRow("A1", "甲", "330106"), new TestRow("B1", "乙", "330108"));
        await s.PublishAsync(TestRow.CsvOf(new TestRow("M1", "丙", "330106")), dataset: TestCatalog.Monthly);
        Current = await s.EnrollAgentAsync("330106");
        Late = await s.EnrollAgentAsync("330106");
        Blocked = await s.EnrollAgentAsync("330106");
        Never = await s.EnrollAgentAsync("330106");
        Behind = await s.EnrollAgentAsync("330108");
        MonthlyBehind = await s.EnrollAgentAsync("330106", TestCatalog.Monthly);
        foreach (var agent in new[] { Current, Late, Blocked })
        {
            await RunReports.ReportAsync(s, agent, "330106", 0, 1, "current");
        }

        await RunReports.ReportAsync(s, Behind, "330108", 0, 1, "current");
        await RunReports.ReportAsync(s, MonthlyBehind, "330106", 0, 1, "current", TestCatalog.Monthly);

        Clock.Advance(TimeSpan.FromHours(1));
        await s.PublishAsync(new TestRow("A2", "甲二", "330106"));
        await s.PublishAsync(TestRow.CsvOf(new TestRow("M2", "丙二", "330106")), dataset: TestCatalog.Monthly);
        Clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromHours(1));
        await s.PublishAsync(new TestRow("B2", "乙二", "330108"));
        Clock.Advance(TimeSpan.FromHours(1));

        await RunReports.ReportAsync(s, Current, "330106", 1, 2, "current");
        await RunReports.ReportAsync(s, Current, "330106", 2, 2, "verified");
        await RunReports.ReportAsync(s, Late, "330106", 1, 1, "failed", error: "connection refused");
        await RunReports.ReportAsync(s, Blocked, "330106", 1, 1, "blocked", error: "signature of sequence 2 does not verify");
        await RunReports.ReportAsync(s, Behind, "330108", 1, 1, "current");

        // Last-seen times are written off the request path: without this, an agent that has just called could still look
        // silent since T0 (an extra agent-silent alert), or one that called at T0 not seen at all (a missing one).
        // The writer to flush is the web app's, which took the agents' requests: BackflowServer.Get resolves from the
        // test's own service provider, whose writer never saw them (that is why a flush there did not end the flakes).
        await s.App.Services.GetRequiredService<LastSeenWriter>().FlushAsync();
    }
}
