using Microsoft.Playwright;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Launches Debian's Chromium for the browser tests (scripts/test.sh installs it); Playwright's own browser download
/// is never used. PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH overrides the path.
/// </summary>
public static class HeadlessChromium
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath(),
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });

    private static string ExecutablePath() =>
        Environment.GetEnvironmentVariable("PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH") is { Length: > 0 } configured
            ? configured
            : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("No Chromium found: apt-get install -y chromium, or set PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH.");
}
