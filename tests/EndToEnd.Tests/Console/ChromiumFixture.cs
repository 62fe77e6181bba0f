using Microsoft.Playwright;

namespace Orleans.Webhooks.EndToEnd.Tests.Console;

/// <summary>
/// Debian's chromium, driven by Playwright: no browser is downloaded (deploy/local/test.sh installs the package when it
/// is missing). A missing chromium fails the tests with the reason, as a missing PostgreSQL does.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"The console's browser tests need Debian's chromium at {ExecutablePath}: run deploy/local/test.sh, or apt-get install chromium.");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
