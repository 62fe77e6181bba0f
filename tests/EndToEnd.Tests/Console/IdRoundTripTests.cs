using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Console;

/// <summary>
/// Ids of any character on every route that takes one: each is sent encoded once (Uri.EscapeDataString) and must come
/// back exactly, an id that is literally "%2F" (sent as %252F) included.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class IdRoundTripTests(ConsoleFixture fixture)
{
    private const string Provider = "ids";

    public static readonly string[] Ids =
    [
        "a/b/c",
        "%2F",
        "x%2Fy%252F",
        "100%",
        "with space",
        "a+b",
        "ünï€ 😀",
        "?#&=;",
        new string('z', 199) + "/",
    ];

    private HttpClient Http => fixture.Service.Http;

    private static string Path(string id) => Uri.EscapeDataString(id);

    private async Task SendAllAsync()
    {
        foreach (var id in Ids)
        {
            // The event, its payment, order and customer all carry the id.
            using var response = await Http.SendAsync(Signing.Hmac(ConsoleFixture.Seed(id, "payment.completed", id, customer: id, order: id), provider: Provider));
            Assert.True(response.IsSuccessStatusCode);
        }
        foreach (var id in Ids)
        {
            await fixture.SettledAsync(Provider, id);
        }
    }

    [Fact]
    public async Task EveryRoute_TakesAndReturnsTheExactId()
    {
        await SendAllAsync();
        foreach (var id in Ids)
        {
            var stored = await Http.GetFromJsonAsync<JsonElement>($"/api/events/{Provider}/{Path(id)}");
            Assert.Equal(id, stored.GetProperty("externalId").GetString());
            Assert.Equal("processed", stored.GetProperty("state").GetString());
            Assert.All(stored.GetProperty("objects").EnumerateArray(), o => Assert.Equal(id, o.GetProperty("id").GetString()));

            var payload = await Http.GetByteArrayAsync($"/api/events/{Provider}/{Path(id)}/payload");
            Assert.Equal(id, JsonDocument.Parse(payload).RootElement.GetProperty("id").GetString());

            foreach (var kind in new[] { "payments", "orders", "customers" })
            {
                var view = await Http.GetFromJsonAsync<JsonElement>($"/api/{kind}/{Provider}/{Path(id)}");
                Assert.Equal(id, view.GetProperty("id").GetString());
            }

            var objects = await fixture.PagesAsync($"provider={Provider}&object={Path(id)}");
            Assert.Equal([id], objects.SelectMany(p => p).Select(e => e.GetProperty("externalId").GetString()));
            var found = await fixture.PagesAsync($"q={Path(id)}");
            Assert.Contains(id, found.SelectMany(p => p).Select(e => e.GetProperty("externalId").GetString()));

            using var replay = await Http.PostAsync($"/api/events/{Provider}/{Path(id)}/replay", null);
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
            Assert.Equal($"{Provider}:{id}", (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
            await fixture.SettledAsync(Provider, id, e => e.GetProperty("attempts").GetInt32() == 2);
        }
    }

    [Fact]
    public async Task ListCursors_OnePerPage_WalkEveryIdOnce()
    {
        await SendAllAsync();

        var pages = await fixture.PagesAsync($"provider={Provider}&limit=1");

        var listed = pages.SelectMany(p => p).Select(e => e.GetProperty("externalId").GetString()!).ToList();
        Assert.Equal(Ids.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ConsolePages_ShowTheExactId()
    {
        await SendAllAsync();
        using var console = new HttpClient { BaseAddress = fixture.Service.BaseAddress };
        console.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ConsoleFixture.Username}:{ConsoleFixture.Password}")));
        foreach (var id in Ids)
        {
            var html = System.Net.WebUtility.HtmlDecode(await console.GetStringAsync($"/console/events/{Provider}/{Path(id)}"));
            Assert.Contains($"<dd data-field=\"externalId\">{id}</dd>", html, StringComparison.Ordinal);
            foreach (var kind in new[] { "payments", "orders", "customers" })
            {
                var page = System.Net.WebUtility.HtmlDecode(await console.GetStringAsync($"/console/{kind}/{Provider}/{Path(id)}"));
                Assert.Contains($"<dd data-field=\"id\">{id}</dd>", page, StringComparison.Ordinal);
            }
        }
    }
}
