using Microsoft.Playwright;

namespace Backflow.Server.Tests.Operations;

/// <summary>Debian's Chromium driven by Playwright. A missing browser fails the test: tests/run.sh installs it.</summary>
internal static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(Path.Combine(RepoRoot.Path, "artifacts", "screenshots")).FullName;

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: install Debian's chromium package (tests/run.sh does: apt-get install -y chromium)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        return (playwright, browser);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
}
