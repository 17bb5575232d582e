using Backflow.Server.Tests.Functional.Kit;
using Microsoft.Playwright;

namespace Backflow.Server.Tests.Operations;

public sealed class DashboardBrowserTests
{
    [Fact]
    public async Task Operator_signs_in_sees_a_lagging_agent_turn_current_and_opens_its_page()
    {
        await using var server = await BackflowServer.StartAsync();
        var token = server.AddToken("operator");
        await server.PublishAsync(new TestRow("A1", "杭州甲公司", "330106"), new TestRow("B1", "杭州乙公司", "330108"));
        // Real agents: enrolled with their one-time codes, syncing into their own SQLite files and reporting their runs.
        await using var lagging = await RealAgents.EnrollAsync(server, "330106");
        await using var current = await RealAgents.EnrollAsync(server, "330108");
        await RealAgents.SyncAsync(lagging, expectedExtracts: 1);
        await RealAgents.SyncAsync(current, expectedExtracts: 1);
        await server.PublishAsync(new TestRow("A2", "杭州丙公司", "330106"));

        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = server.Http.BaseAddress!.ToString() });

        var first = await page.GotoAsync("/dashboard");
        Assert.True(page.Url.Contains("/dashboard/sign-in", StringComparison.Ordinal), $"{first?.Status} {page.Url} {await page.ContentAsync()}");
        await page.FillAsync("#token", "bfo_not-a-token");
        await page.ClickAsync("#sign-in");
        await Assertions.Expect(page.Locator("#sign-in-error")).ToBeVisibleAsync();
        await page.FillAsync("#token", token);
        await page.ClickAsync("#sign-in");

        // Commit, not the default "load": the fleet page refreshes itself every 10 s, and a refresh that starts while
        // Playwright waits for a load event can leave it waiting forever (seen as a 30 s timeout under CI load). The
        // assertions below wait for what the page shows instead.
        await page.WaitForURLAsync("**/dashboard", new() { WaitUntil = WaitUntilState.Commit });

        var cell = page.Locator("td[data-region='330106'][data-dataset='test-entities']");
        await Assertions.Expect(cell).ToHaveAttributeAsync("data-state", "behind");
        await Assertions.Expect(page.Locator("td[data-region='330108'][data-dataset='test-entities']")).ToHaveAttributeAsync("data-state", "current");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("总览");
        await Browser.ScreenshotAsync(page, "1-fleet-behind");

        await RealAgents.SyncAsync(lagging, expectedExtracts: 1);
        Assert.Equal(2, RealAgents.RowCount(lagging));
        // The page refreshes itself every 10 s; a reload must show the same at once.
        await Assertions.Expect(cell).ToHaveAttributeAsync("data-state", "current", new() { Timeout = 30_000 });
        await page.ReloadAsync();
        await Assertions.Expect(cell).ToHaveAttributeAsync("data-state", "current");
        await Browser.ScreenshotAsync(page, "2-fleet-current");

        await page.ClickAsync("#lang-switch");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Fleet");
        await page.Locator($"#agents a[href='/dashboard/agents/{lagging.AgentId}']").ClickAsync();
        await Assertions.Expect(page.Locator("#feeds td[data-state]")).ToHaveAttributeAsync("data-state", "current");
        await Assertions.Expect(page.Locator("#runs tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#runs")).ToContainTextAsync("1 → 2");
        await Browser.ScreenshotAsync(page, "3-agent-page");

        await page.ClickAsync("a[href='/dashboard/datasets/test-entities']");
        await Assertions.Expect(page.Locator("#dataset-title")).ToHaveTextAsync("测试主体");
        await Browser.ScreenshotAsync(page, "4-dataset-page");

        await page.ClickAsync("#sign-out");
        await page.WaitForURLAsync("**/dashboard/sign-in", new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator("#token")).ToBeVisibleAsync();
        await page.GotoAsync("/dashboard");
        Assert.True(page.Url.Contains("/dashboard/sign-in", StringComparison.Ordinal), page.Url + " " + string.Join("; ", (await page.Context.CookiesAsync()).Select(c => c.Name + "=" + c.Value)));
    }
}
