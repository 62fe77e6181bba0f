using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Console;

/// <summary>The console in a real browser, as an operator uses it, on a real silo and PostgreSQL.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleBrowserTests(ConsoleFixture fixture, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private IBrowserContext _context = null!;
    private IPage _page = null!;

    private string Url(string path) => new Uri(fixture.Service.BaseAddress, path).ToString();

    public async Task InitializeAsync()
    {
        _context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            HttpCredentials = new HttpCredentials { Username = ConsoleFixture.Username, Password = ConsoleFixture.Password },
            ViewportSize = new ViewportSize { Width = 960, Height = 640 },
        });
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    private static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    [Fact]
    public async Task FindAnEvent_ReadItsPayload_FollowItToItsPayment()
    {
        var id = NewId("evt_find");
        var payment = NewId("pay_find");
        await fixture.SendAsync(ConsoleFixture.Seed(id, "payment.completed", payment, customer: "cus_browser", order: NewId("ord_find")));
        await fixture.SettledAsync("hmac", id);

        await _page.GotoAsync(Url("/console/"));
        await Assertions.Expect(_page.GetByText("Silos active")).ToBeVisibleAsync();
        await _page.GetByLabel("Search").FillAsync(id);
        await _page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(_page.Locator("tbody tr")).ToHaveCountAsync(1);
        await _page.Locator("tbody tr").First.GetByRole(AriaRole.Link, new() { Name = id }).ClickAsync();

        await Assertions.Expect(_page.Locator("[data-field=externalId]")).ToHaveTextAsync(id);
        await Assertions.Expect(_page.Locator("[data-field=state]")).ToHaveTextAsync("processed");
        // Pretty-printed: the body came in on one line and shows indented, one member a line.
        await Assertions.Expect(_page.Locator("#payload")).ToContainTextAsync($"\"id\": \"{payment}\"");
        Assert.Contains("\n    \"amount\": 1234", await _page.Locator("#payload").InnerTextAsync(), StringComparison.Ordinal);

        await _page.GetByRole(AriaRole.Link, new() { Name = payment }).ClickAsync();

        await Assertions.Expect(_page.Locator("[data-field=status]")).ToHaveTextAsync("completed");
        await Assertions.Expect(_page.Locator("[data-field=amount]")).ToHaveTextAsync("12.34");
        await Assertions.Expect(_page.GetByRole(AriaRole.Link, new() { Name = id })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ReplayAFailedEvent_ItsAttemptsRise()
    {
        var id = NewId("evt_fail");
        await fixture.SendAsync(ConsoleFixture.Seed(id, "payment.completed", objectId: null));
        await fixture.SettledAsync("hmac", id);

        await _page.GotoAsync(Url($"/console/events/hmac/{id}"));
        await Assertions.Expect(_page.Locator("[data-field=state]")).ToHaveTextAsync("failed");
        await Assertions.Expect(_page.Locator("[data-field=lastError]")).ToContainTextAsync("has no payment id");
        await Assertions.Expect(_page.Locator("[data-field=attempts]")).ToHaveTextAsync("1");

        await _page.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();

        await Assertions.Expect(_page.GetByRole(AriaRole.Status)).ToContainTextAsync("Replaying");
        await Eventually.MatchesAsync(async () =>
        {
            await _page.ReloadAsync();
            return (await _page.Locator("[data-field=attempts]").InnerTextAsync(), await _page.Locator("[data-field=state]").InnerTextAsync());
        }, seen => seen == ("2", "failed"), Deadline, "the replay ran and failed again");
    }

    [Fact]
    public async Task FilterTheList_ThenReplayAllTheFailedOnes()
    {
        var start = DateTimeOffset.UtcNow;
        var failing = Enumerable.Range(0, 3).Select(i => NewId($"evt_all{i}")).ToArray();
        foreach (var id in failing)
        {
            await fixture.SendAsync(ConsoleFixture.Seed(id, "payment.completed", objectId: null), provider: "other");
        }
        var fine = NewId("evt_fine");
        await fixture.SendAsync(ConsoleFixture.Seed(fine, "customer.updated", "cus_fine"), provider: "other");
        foreach (var id in failing.Append(fine))
        {
            await fixture.SettledAsync("other", id);
        }

        await _page.GotoAsync(Url("/console/"));
        await _page.GetByLabel("Provider").SelectOptionAsync("other");
        await _page.GetByLabel("State").SelectOptionAsync("failed");
        await _page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        var rows = _page.Locator("tbody tr");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        foreach (var id in failing)
        {
            await Assertions.Expect(_page.GetByRole(AriaRole.Link, new() { Name = id })).ToBeVisibleAsync();
        }
        await Assertions.Expect(_page.GetByRole(AriaRole.Link, new() { Name = fine })).ToHaveCountAsync(0);
        foreach (var state in await _page.Locator("tbody tr td:nth-child(5)").AllInnerTextsAsync())
        {
            Assert.Equal("failed", state);
        }

        await _page.GetByRole(AriaRole.Button, new() { Name = "Replay all" }).ClickAsync();
        await Assertions.Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "Replay all" })).ToBeVisibleAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Replay all" }).ClickAsync();

        await Assertions.Expect(_page.GetByRole(AriaRole.Status)).ToContainTextAsync("Replayed");
        foreach (var id in failing)
        {
            await fixture.SettledAsync("other", id, e => e.GetProperty("attempts").GetInt32() == 2);
        }
        Assert.Equal(1, (await fixture.EventAsync("other", fine)).GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Summary_AtAPhonesWidth_FitsAndIsSavedAsTheReadmeScreenshot()
    {
        await fixture.SendAsync(ConsoleFixture.Seed(NewId("evt_shot"), "payment.completed", NewId("pay_shot")));
        await _page.GotoAsync(Url("/console/"));
        await Assertions.Expect(_page.GetByText("Accepted, last hour")).ToBeVisibleAsync();
        var screenshot = Path.Combine(TestDatabase.RepositoryRoot, "docs", "console.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        Assert.True(new FileInfo(screenshot).Length > 1000);

        await _page.SetViewportSizeAsync(390, 800);
        await _page.ReloadAsync();

        Assert.True(await _page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 390 px");
        await Assertions.Expect(_page.GetByLabel("Search")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task WithAPasswordSet_WithoutCredentials_IsRefused()
    {
        await using var anonymous = await chromium.Browser.NewContextAsync();
        var page = await anonymous.NewPageAsync();
        await using var wrong = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            HttpCredentials = new HttpCredentials { Username = ConsoleFixture.Username, Password = "not-the-password" },
        });

        // The browser is asked for credentials and has none to give (headless chromium then fails the navigation).
        var navigation = await Assert.ThrowsAsync<PlaywrightException>(() => page.GotoAsync(Url("/console/")));
        var refused = await anonymous.APIRequest.GetAsync(Url("/console/"));
        var refusedToo = await wrong.APIRequest.GetAsync(Url("/console/events/hmac/anything"));

        Assert.Contains("ERR_INVALID_AUTH_CREDENTIALS", navigation.Message, StringComparison.Ordinal);
        Assert.Equal(401, refused.Status);
        Assert.StartsWith("Basic ", refused.Headers["www-authenticate"], StringComparison.Ordinal);
        Assert.DoesNotContain("Silos active", await refused.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(401, refusedToo.Status);
    }

    [Fact]
    public async Task Buttons_WithoutTheAntiforgeryToken_AreRefused()
    {
        var id = NewId("evt_csrf");
        await fixture.SendAsync(ConsoleFixture.Seed(id, "payment.completed", objectId: null));
        await fixture.SettledAsync("hmac", id);
        using var http = new HttpClient { BaseAddress = fixture.Service.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ConsoleFixture.Username}:{ConsoleFixture.Password}")));

        using var replay = await http.PostAsync($"/console/events/hmac/{id}?handler=Replay", new FormUrlEncodedContent([]));
        using var bulk = await http.PostAsync("/console/replay?state=failed", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bulk.StatusCode);
        Assert.Equal(1, (await fixture.EventAsync("hmac", id)).GetProperty("attempts").GetInt32());
    }
}
