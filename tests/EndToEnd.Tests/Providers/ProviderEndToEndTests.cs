using System.Net;
using System.Text.Json;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Providers;

/// <summary>
/// For each provider, a realistic delivery of each mapped type, signed as the provider signs it, sent to the running
/// programs, and its effect read back through the management API; and per scheme, a forged delivery refused. This
/// file holds what the tests share; each provider's tests are in a file named after it.
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed partial class ProviderEndToEndTests(ProviderFixture fixture)
{
    private Service Service => fixture.Service;

    /// <summary>Sends a delivery and expects it accepted (200, "accepted", id "{provider}:{externalId}").</summary>
    private async Task AcceptedAsync(HttpRequestMessage request, string provider, string externalId)
    {
        using (request)
        using (var response = await Service.Http.SendAsync(request))
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{provider}: expected 200, got {(int)response.StatusCode}: {text}");
            var body = JsonDocument.Parse(text).RootElement;
            Assert.Equal("accepted", body.GetProperty("status").GetString());
            Assert.Equal($"{provider}:{externalId}", body.GetProperty("id").GetString());
        }
    }

    /// <summary>Waits until the event has left 'received' and returns it.</summary>
    private async Task<JsonElement> FinishedEventAsync(string provider, string externalId) =>
        (await Eventually.MatchesAsync(
            () => Service.GetJsonAsync($"/api/events/{provider}/{Uri.EscapeDataString(externalId)}"),
            e => e?.GetProperty("state").GetString() is "processed" or "ignored" or "failed",
            because: $"{provider} event {externalId} should be processed"))!.Value;

    private async Task<JsonElement> ProcessedEventAsync(string provider, string externalId)
    {
        var stored = await FinishedEventAsync(provider, externalId);
        Assert.True(stored.GetProperty("state").GetString() == "processed", $"{provider} event {externalId}: {stored}");
        return stored;
    }

    private async Task<JsonElement> ViewAsync(string kind, string provider, string id)
    {
        var view = await Service.GetJsonAsync($"/api/{kind}/{provider}/{Uri.EscapeDataString(id)}");
        Assert.True(view is not null, $"GET /api/{kind}/{provider}/{id} found nothing");
        return view!.Value;
    }

    private Task<JsonElement> PaymentAsync(string provider, string id) => ViewAsync("payments", provider, id);

    private Task<JsonElement> OrderAsync(string provider, string id) => ViewAsync("orders", provider, id);

    private Task<JsonElement> CustomerAsync(string provider, string id) => ViewAsync("customers", provider, id);

    /// <summary>Sends a delivery that must be refused with 401 and leave no trace of the event.</summary>
    private async Task RefusedAsync(HttpRequestMessage request, string provider, string externalId)
    {
        using (request)
        using (var response = await Service.Http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(0, await TestDatabase.ScalarAsync<long>(Service.ConnectionString,
            "SELECT count(*) FROM webhook_events WHERE provider = @p AND external_id = @x", ("p", provider), ("x", externalId)));
        using var read = await Service.Http.GetAsync($"/api/events/{provider}/{Uri.EscapeDataString(externalId)}");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    private static decimal Decimal(JsonElement view, string name) => view.GetProperty(name).GetDecimal();

    private static string? Text(JsonElement view, string name) => view.GetProperty(name).GetString();

    /// <summary>A Shopify numeric id as it appears in the management API's paths and fields.</summary>
    private static string Id(long numericId) => numericId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
