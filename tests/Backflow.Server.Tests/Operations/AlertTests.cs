using System.Text.Json;
using Backflow.Server.Alerts;
using Microsoft.Extensions.DependencyInjection;

namespace Backflow.Server.Tests.Operations;

public sealed class AlertTests
{
    // The scheduled evaluation starts one interval after the fixture's fake "now" (2026-11-20), but Quartz runs on the wall
    // clock: with the default minute it fired at once, racing the test's own evaluations (a flaky count). A year keeps it
    // in the future, so only the test evaluates.
    private static readonly TimeSpan ScheduledNever = TimeSpan.FromDays(3650);

    [Fact]
    public async Task Each_alert_reaches_the_webhook_once_after_retries_and_once_more_when_it_clears()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var fx = await WithWebhookAsync(receiver, o =>
        {
            o.WebhookRetryDelay = TimeSpan.Zero; // the pipeline waits on the injected (fake) clock
        });
        var board = fx.Server.App.Services.GetRequiredService<AlertBoard>();
        receiver.FailNext = 2;

        await board.EvaluateAsync(CancellationToken.None);

        var firing = receiver.Accepted;
        Assert.Equal(
            [$"agent-silent/{fx.MonthlyBehind.AgentId}", $"feed-blocked/{fx.Blocked.AgentId}/test-entities/330106", $"feed-late/{fx.Late.AgentId}/test-entities/330106"],
            firing.Select(Key).Order(StringComparer.Ordinal));
        Assert.All(firing, f => Assert.Equal("firing", f.GetProperty("status").GetString()));
        Assert.Equal(5, receiver.Requests.Count); // two refused attempts were retried
        Assert.Contains("connection refused", firing.Single(f => Key(f).StartsWith("feed-late", StringComparison.Ordinal)).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, board.Active.Count);

        await board.EvaluateAsync(CancellationToken.None);
        Assert.Equal(5, receiver.Requests.Count); // still active: not sent again

        await RunReports.ReportAsync(fx.Server, fx.Blocked, "330106", 1, 2, "current");
        await board.EvaluateAsync(CancellationToken.None);
        await board.EvaluateAsync(CancellationToken.None);

        var resolved = receiver.Accepted.Where(r => r.GetProperty("status").GetString() == "resolved").ToList();
        Assert.Equal([$"feed-blocked/{fx.Blocked.AgentId}/test-entities/330106"], resolved.Select(Key));
        Assert.Equal(2, board.Active.Count);
    }

    [Fact]
    public async Task An_alert_the_webhook_never_accepted_is_sent_at_the_next_evaluation()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var fx = await WithWebhookAsync(receiver, o =>
        {
            o.WebhookRetries = 1;
            o.WebhookRetryDelay = TimeSpan.Zero; // the pipeline waits on the injected (fake) clock
        });
        var board = fx.Server.App.Services.GetRequiredService<AlertBoard>();
        receiver.FailNext = 1000;
        await board.EvaluateAsync(CancellationToken.None);
        Assert.Empty(receiver.Accepted);

        receiver.FailNext = 0;
        await board.EvaluateAsync(CancellationToken.None);
        Assert.Equal(3, receiver.Accepted.Count);
        Assert.Equal(3, receiver.Accepted.Select(Key).Distinct().Count());
    }

    [Fact]
    public async Task A_restarted_board_neither_sends_a_delivered_alert_again_nor_forgets_a_resolution_it_owes()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var fx = await WithWebhookAsync(receiver, o =>
        {
            o.WebhookRetries = 0;
        });
        var board = fx.Server.App.Services.GetRequiredService<AlertBoard>();
        await board.EvaluateAsync(CancellationToken.None);
        // Counted relative to the first evaluation: which agent-silent alerts fire depends on when last-seen times land.
        var sent = receiver.Accepted.Count;
        Assert.True(sent >= 3, $"{sent} alerts sent");

        // A restart: a new board over the same metadata database.
        var restarted = ActivatorUtilities.CreateInstance<AlertBoard>(fx.Server.App.Services);
        Assert.Equal(board.Active.Select(a => a.Key), restarted.Active.Select(a => a.Key));
        receiver.FailNext = 1000; // anything sent again now would be refused and tried again below, and show up there
        await restarted.EvaluateAsync(CancellationToken.None);
        receiver.FailNext = 0;

        // The blocked feed recovers while the webhook is down, and the server restarts before it is back.
        await RunReports.ReportAsync(fx.Server, fx.Blocked, "330106", 1, 2, "current");
        receiver.FailNext = 1000;
        await restarted.EvaluateAsync(CancellationToken.None);
        receiver.FailNext = 0;
        await ActivatorUtilities.CreateInstance<AlertBoard>(fx.Server.App.Services).EvaluateAsync(CancellationToken.None);

        var blocked = $"feed-blocked/{fx.Blocked.AgentId}/test-entities/330106";
        var again = receiver.Accepted.Skip(sent).ToList();
        Assert.DoesNotContain(again, r => r.GetProperty("status").GetString() == "firing" && board.Active.Any(a => a.Key == Key(r)));
        Assert.Single(again, r => r.GetProperty("status").GetString() == "resolved" && Key(r) == blocked);
    }

    /// <summary>The status fixture with alerts going to <paramref name="receiver"/> and only the test evaluating them.</summary>
    private static Task<StatusFixture> WithWebhookAsync(WebhookReceiver receiver, Action<AlertOptions> configure) =>
        StatusFixture.CreateAsync(services => services.Configure<AlertOptions>(o =>
        {
            o.WebhookUrl = receiver.Url;
            o.Interval = ScheduledNever;
            configure(o);
        }));

    private static string Key(JsonElement alert) => alert.GetProperty("key").GetString()!;
}
