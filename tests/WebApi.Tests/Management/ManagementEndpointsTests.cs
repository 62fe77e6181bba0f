using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Tests.Edge;

namespace Orleans.Webhooks.WebApi.Tests.Management;

/// <summary>
/// External ids in management paths: URL-encoded, any character allowed, '/' included, so they reach the grains exactly
/// as the provider sent them.
/// </summary>
public sealed class ManagementEndpointsTests : IClassFixture<EdgeFactory>, IDisposable
{
    private readonly EdgeFactory _factory;
    private readonly HttpClient _http;

    public ManagementEndpointsTests(EdgeFactory factory)
    {
        _factory = factory;
        _http = factory.CreateClient();
        _factory.Grains.EventLookups.Clear();
        _factory.Grains.ViewLookups.Clear();
        _factory.Grains.Replays.Clear();
    }

    public void Dispose() => _http.Dispose();

    private EventView Store(string externalId, string provider = "hmac")
    {
        var stored = new EventView { Provider = provider, ExternalId = externalId, State = "processed", ProviderType = "payment.completed", Type = "payment.completed" };
        _factory.Grains.StoredEvents[(provider, externalId)] = stored;
        return stored;
    }

    public static TheoryData<string> Ids() =>
    [
        "evt_plain",
        "orders/123/paid",
        "/leading/and/trailing/",
        "100% off",
        "a%41",
        "a+b c?d#e&f=g",
        "ünï/cödé",
        "ends/replay",
    ];

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task GetEvent_EncodedId_LooksUpTheExactIdAndReturnsIt(string id)
    {
        Store(id);

        using var response = await _http.GetAsync($"/api/events/hmac/{Uri.EscapeDataString(id)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("externalId").GetString());
        Assert.Equal([("hmac", id)], _factory.Grains.EventLookups);
    }

    [Fact]
    public async Task GetEvent_UnencodedSlashesAndUpperCaseProvider_SpanTheRestOfThePath()
    {
        Store("orders/9/paid");

        using var response = await _http.GetAsync("/api/events/HMAC/orders/9/paid");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([("hmac", "orders/9/paid")], _factory.Grains.EventLookups);
    }

    [Fact]
    public async Task GetEvent_NeverReceived_Returns404()
    {
        using var response = await _http.GetAsync($"/api/events/hmac/{Guid.NewGuid():N}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Replay_EncodedId_ReplaysThatEvent(string id)
    {
        Store(id);

        using var response = await _http.PostAsync($"/api/events/hmac/{Uri.EscapeDataString(id)}/replay", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"hmac:{id}", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        Assert.Equal([($"hmac:{id}", "payment.completed")], _factory.Grains.Replays);
    }

    [Fact]
    public async Task Replay_NeverReceived_Returns404()
    {
        using var response = await _http.PostAsync($"/api/events/hmac/{Guid.NewGuid():N}/replay", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_factory.Grains.Replays);
    }

    [Theory]
    [InlineData("/api/events/hmac/evt_1")]
    [InlineData("/api/events/hmac/replay")]
    [InlineData("/api/events/hmac/evt_1/other")]
    [InlineData("/api/events/hmac/evt_1%2Freplay")]
    public async Task Post_WithoutAReplaySegmentAfterTheId_Returns404(string path)
    {
        Store("evt_1");
        Store("evt_1/other");

        using var response = await _http.PostAsync(path, null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_factory.Grains.Replays);
    }

    [Theory]
    [InlineData("payments", typeof(IPaymentGrain))]
    [InlineData("orders", typeof(IOrderGrain))]
    [InlineData("customers", typeof(ICustomerGrain))]
    public async Task GetView_EncodedId_AsksTheGrainOfThatKey_404WhenItHasNone(string kind, Type grain)
    {
        using var response = await _http.GetAsync($"/api/{kind}/Shopify/{Uri.EscapeDataString("gid://shopify/Order/1 50%")}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal([(grain, "shopify:gid://shopify/Order/1 50%")], _factory.Grains.ViewLookups);
    }
}
