using System.Net;
using System.Text;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests;

/// <summary>
/// The edge in front of the checks of a delivery: trusted proxies, a provider's AllowedNetworks, the per-client rate
/// limit, and bodies that are not UTF-8. 127.0.0.1 is the trusted proxy; other loopback addresses are direct callers
/// or a proxy that is not trusted.
/// </summary>
public sealed class EdgeTests(EdgeTests.EdgeFixture fixture) : IClassFixture<EdgeTests.EdgeFixture>
{
    private const string TrustedProxy = "127.0.0.1";
    private const string UntrustedProxy = "127.0.0.2";
    private const string AllowedCaller = "127.0.0.3";
    private const string OtherCaller = "127.0.0.4";
    private const string AllowedBehindProxy = "198.51.100.7";
    private const int PerClientPermits = 5;

    private readonly Service _service = fixture.Service;

    /// <summary>127.0.0.1 is the one trusted proxy; "fenced" takes deliveries from 127.0.0.3 and 198.51.100.0/24 only.</summary>
    public sealed class EdgeFixture() : ConfiguredServiceFixture("webhooks_test_edge", 7300, new Dictionary<string, string>
    {
        ["Webhooks__TrustedProxies__0"] = TrustedProxy,
        ["Webhooks__Providers__fenced__Scheme"] = "hmac",
        ["Webhooks__Providers__fenced__Secrets__0"] = Service.HmacSecret,
        ["Webhooks__Providers__fenced__AllowedNetworks__0"] = $"{AllowedCaller}/32",
        ["Webhooks__Providers__fenced__AllowedNetworks__1"] = "198.51.100.0/24",
        ["Webhooks__RateLimit__PerClientPermitsPerSecond"] = PerClientPermits.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    private async Task<(HttpStatusCode Status, string Id)> DeliverAsync(string from, string? forwardedFor = null, string provider = "fenced", int padding = 0)
    {
        using var client = Clients.From(from, _service.BaseAddress);
        var id = $"evt_{Guid.NewGuid():N}";
        var body = Signing.SeedEvent(id, "payment.completed", $"pay_{id}", customer: new string('x', padding) + "cus_1");
        using var request = Signing.Hmac(body, provider: provider);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        using var response = await client.SendAsync(request);
        return (response.StatusCode, id);
    }

    private Task<long> StoredAsync(string id) =>
        TestDatabase.ScalarAsync<long>(_service.ConnectionString, "SELECT count(*) FROM webhook_events WHERE external_id = @id", ("id", id));

    [Fact]
    public async Task AllowedNetworks_AllowedDeniedTrustedAndUntrustedProxy()
    {
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(AllowedCaller)).Status);
        Assert.Equal(HttpStatusCode.OK, (await DeliverAsync(TrustedProxy, forwardedFor: AllowedBehindProxy)).Status);

        var denied = await DeliverAsync(OtherCaller);
        // Refused before the body is read: a body over the 1 MiB limit gets 403, not 413.
        var deniedLarge = await DeliverAsync(OtherCaller, padding: 2 * 1024 * 1024);
        var untrusted = await DeliverAsync(UntrustedProxy, forwardedFor: AllowedBehindProxy);
        var outsideBehindProxy = await DeliverAsync(TrustedProxy, forwardedFor: $"{AllowedBehindProxy}, 203.0.113.9");
        Assert.All([denied, deniedLarge, untrusted, outsideBehindProxy], refused => Assert.Equal(HttpStatusCode.Forbidden, refused.Status));
        foreach (var refused in new[] { denied, deniedLarge, untrusted, outsideBehindProxy })
        {
            Assert.Equal(0, await StoredAsync(refused.Id));
        }

        // Counted, under the client address each check used.
        var rows = await Eventually.MatchesAsync(
            () => _service.GetJsonAsync("/api/rejections?provider=fenced&reason=network_not_allowed"),
            json => json?.GetProperty("items").GetArrayLength() == 4, TimeSpan.FromSeconds(20), "four refusals in the audit");
        Assert.Equal(
            new[] { "127.0.0.2", "127.0.0.4", "127.0.0.4", "203.0.113.9" },
            rows!.Value.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("clientAddress").GetString()).Order().ToArray());
        Assert.All(rows.Value.GetProperty("items").EnumerateArray(), r => Assert.Equal(403, r.GetProperty("status").GetInt32()));
        Assert.Equal(4, rows.Value.GetProperty("counts").GetProperty("network_not_allowed").GetInt64());
    }

    [Fact]
    public async Task LoopbackOnlyAccess_ThroughAnUntrustedProxy_IsRefused()
    {
        async Task<HttpStatusCode> GetAsync(string from, string forwardedFor)
        {
            using var client = Clients.From(from, _service.BaseAddress);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events?state=failed");
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(UntrustedProxy, "127.0.0.1"));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(TrustedProxy, "203.0.113.9"));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(TrustedProxy, "127.0.0.1, 203.0.113.9"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(TrustedProxy, "127.0.0.1"));
    }

    [Fact]
    public async Task PerClientLimit_ThrottlesOneClientWhileAnotherIsServed()
    {
        const string busy = "127.0.0.6";
        const string quiet = "127.0.0.7";
        using var client = Clients.From(busy, _service.BaseAddress);
        var burst = await Task.WhenAll(Enumerable.Range(0, 4 * PerClientPermits).Select(async _ =>
        {
            using var request = Signing.Hmac(Signing.SeedEvent($"evt_{Guid.NewGuid():N}", "payment.completed", "pay_busy"));
            using var response = await client.SendAsync(request);
            return (response.StatusCode, response.Headers.RetryAfter?.Delta);
        }));
        var quietStatus = (await DeliverAsync(quiet, provider: "hmac")).Status;

        var limited = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        Assert.NotEmpty(limited);
        Assert.All(limited, r => Assert.True(r.Delta >= TimeSpan.FromSeconds(1), "Retry-After of at least a second"));
        Assert.All(burst, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.Equal(HttpStatusCode.OK, quietStatus);
        var audit = await Eventually.MatchesAsync(
            () => _service.GetJsonAsync("/api/rejections?reason=client_rate_limited"),
            json => json?.GetProperty("counts").TryGetProperty("client_rate_limited", out var n) == true && n.GetInt64() == limited.Length,
            TimeSpan.FromSeconds(20), "every throttled delivery counted");
        Assert.All(audit!.Value.GetProperty("items").EnumerateArray(), r => Assert.Equal(busy, r.GetProperty("clientAddress").GetString()));
    }

    [Fact]
    public async Task SignedBodyNotUtf8_Returns400AndStoresNothing()
    {
        var id = $"evt_{Guid.NewGuid():N}";
        var body = Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","type":"payment.completed","data":{"id":"pay_""")
            .Concat(new byte[] { 0xC3, 0x28 }) // a lead byte followed by one that cannot continue it
            .Concat(Encoding.UTF8.GetBytes("\",\"amount\":100,\"currency\":\"usd\"}}"))
            .ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook/hmac") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-Webhook-Signature", Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(Service.HmacSecret), body)));

        using var response = await _service.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await StoredAsync(id));
    }
}
