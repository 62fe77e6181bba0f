using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Console;

/// <summary>
/// One silo and the web API for the console's API and browser tests, with a dashboard password (so the console asks
/// for credentials) and no management key (so /api answers these loopback tests), and two more hmac providers: "other"
/// for the provider filter and "ids" for the ids of any character.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string Username = "operator";
    public const string Password = "console-test-password";

    public Service Service { get; private set; } = null!;

    public async Task InitializeAsync() => Service = await Service.StartAsync("webhooks_test_console", 6650, environment: new Dictionary<string, string>
    {
        ["Dashboard__Username"] = Username,
        ["Dashboard__Password"] = Password,
        ["Webhooks__Providers__other__Scheme"] = "hmac",
        ["Webhooks__Providers__other__Secrets__0"] = Service.HmacSecret,
        ["Webhooks__Providers__ids__Scheme"] = "hmac",
        ["Webhooks__Providers__ids__Secrets__0"] = Service.HmacSecret,
        ["Webhooks__Providers__mailchimp__Secrets__0"] = MailchimpSecret,
    });

    public const string MailchimpSecret = "console-mailchimp-secret";

    public async Task DisposeAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }
    }

    /// <summary>Sends a signed hmac delivery and checks that it was accepted.</summary>
    public async Task SendAsync(string body, string provider = "hmac", string contentType = "application/json")
    {
        using var response = await Service.Http.SendAsync(Signing.Hmac(body, provider: provider, contentType: contentType));
        Assert.True(response.IsSuccessStatusCode, $"delivery answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A seed-format event; without an object id it fails at once (its handler has nothing to apply it to).</summary>
    public static string Seed(string id, string type, string? objectId, string customer = "cus_1", string? order = null, string? payment = null)
    {
        var data = new Dictionary<string, object> { ["amount"] = 1234, ["currency"] = "usd", ["customer"] = customer };
        if (objectId is not null)
        {
            data["id"] = objectId;
        }
        if (order is not null)
        {
            data["order"] = order;
        }
        if (payment is not null)
        {
            data["payment"] = payment;
        }
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["id"] = id, ["type"] = type, ["data"] = data });
    }

    public async Task<JsonElement> EventAsync(string provider, string externalId) =>
        await Service.Http.GetFromJsonAsync<JsonElement>($"/api/events/{provider}/{Uri.EscapeDataString(externalId)}");

    /// <summary>Waits until the event has left 'received'.</summary>
    public Task<JsonElement> SettledAsync(string provider, string externalId, Func<JsonElement, bool>? also = null) =>
        Eventually.MatchesAsync(() => EventAsync(provider, externalId),
            e => e.GetProperty("state").GetString() != "received" && (also is null || also(e)), TimeSpan.FromSeconds(30), $"{provider}:{externalId} settled");

    /// <summary>Every page of GET /api/events with the query given, following next.</summary>
    public async Task<List<List<JsonElement>>> PagesAsync(string query)
    {
        var pages = new List<List<JsonElement>>();
        string? next = null;
        do
        {
            var page = await Service.Http.GetFromJsonAsync<JsonElement>($"/api/events?{query}{(next is null ? "" : "&after=" + Uri.EscapeDataString(next))}");
            pages.Add([.. page.GetProperty("items").EnumerateArray()]);
            next = page.GetProperty("next").GetString();
        }
        while (next is not null);
        return pages;
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
