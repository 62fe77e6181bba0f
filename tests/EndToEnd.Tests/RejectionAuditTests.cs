using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Orleans.Webhooks.Testing;
using Xunit.Abstractions;

namespace Orleans.Webhooks.EndToEnd.Tests;

/// <summary>
/// The audit of refused deliveries: each reason recorded once with its fields and never a secret, a signature value or
/// the body; a flood leaves counts, not rows.
/// </summary>
public sealed class RejectionAuditTests(RejectionAuditTests.AuditFixture fixture, ITestOutputHelper output) : IClassFixture<RejectionAuditTests.AuditFixture>
{
    private const string StripeSecret = "whsec_e2e_audit_stripe_secret";
    private const string WrongSecret = "e2e-wrong-secret-value";
    private const int RowsPerReasonPerMinute = 20; // RejectionAudit.RowsPerReasonPerMinute

    private readonly Service _service = fixture.Service;

    public sealed class AuditFixture() : ConfiguredServiceFixture("webhooks_test_audit", 7350, new Dictionary<string, string>
    {
        ["Webhooks__Providers__stripe__Secrets__0"] = StripeSecret,
        ["Webhooks__Providers__small__Scheme"] = "hmac",
        ["Webhooks__Providers__small__Secrets__0"] = Service.HmacSecret,
        ["Webhooks__Providers__small__MaxBodyBytes"] = "100",
        ["Webhooks__Providers__fenced__Scheme"] = "hmac",
        ["Webhooks__Providers__fenced__Secrets__0"] = Service.HmacSecret,
        ["Webhooks__Providers__fenced__AllowedNetworks__0"] = "192.0.2.0/24",
        ["Webhooks__Providers__flooded__Scheme"] = "hmac",
        ["Webhooks__Providers__flooded__Secrets__0"] = Service.HmacSecret,
    });

    private static HttpRequestMessage Post(string provider, string body, string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhook/{provider}") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }

    private static string Hmac(string secret, string body) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private static string Stripe(long timestamp, string body) =>
        $"t={timestamp},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(StripeSecret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")))}";

    private static string Sha256(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));

    private sealed record Expected(string Provider, string Reason, HttpStatusCode Status, HttpRequestMessage Request, string Body, bool BodyRead, string[] SignatureHeaders, string? SignatureValue);

    [Fact]
    public async Task EachReason_RecordedOnceWithItsFields_NeverASecretOrSignature()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        string Body(string tag) => Signing.SeedEvent($"evt_{tag}_{Guid.NewGuid():N}", "payment.completed", "pay_1");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var b = Enumerable.Range(0, 9).Select(i => Body(i.ToString(CultureInfo.InvariantCulture))).ToArray();
        var large = b[2] + new string(' ', 200);
        var malformed = "v1=no-timestamp-here";
        var cases = new[]
        {
            new Expected("nope", "unknown_provider", HttpStatusCode.NotFound, Post("nope", b[0]), b[0], false, [], null),
            new Expected("fenced", "network_not_allowed", HttpStatusCode.Forbidden, Post("fenced", b[1], headers: ("X-Webhook-Signature", Hmac(Service.HmacSecret, b[1]))), b[1], false, ["X-Webhook-Signature"], Hmac(Service.HmacSecret, b[1])),
            new Expected("small", "too_large", HttpStatusCode.RequestEntityTooLarge, Post("small", large, headers: ("X-Webhook-Signature", Hmac(Service.HmacSecret, large))), large, false, ["X-Webhook-Signature"], Hmac(Service.HmacSecret, large)),
            new Expected("hmac", "missing_signature", HttpStatusCode.Unauthorized, Post("hmac", b[3]), b[3], true, [], null),
            new Expected("stripe", "malformed_signature", HttpStatusCode.Unauthorized, Post("stripe", b[4], headers: ("Stripe-Signature", malformed)), b[4], true, ["Stripe-Signature"], malformed),
            new Expected("hmac", "no_secret_matched", HttpStatusCode.Unauthorized, Post("hmac", b[5], headers: ("X-Webhook-Signature", Hmac(WrongSecret, b[5]))), b[5], true, ["X-Webhook-Signature"], Hmac(WrongSecret, b[5])),
            new Expected("stripe", "timestamp_outside_tolerance", HttpStatusCode.Unauthorized, Post("stripe", b[6], headers: ("Stripe-Signature", Stripe(now - 3600, b[6]))), b[6], true, ["Stripe-Signature"], Stripe(now - 3600, b[6])),
            new Expected("hmac", "unsupported_media_type", HttpStatusCode.UnsupportedMediaType, Post("hmac", b[7], "text/plain", ("X-Webhook-Signature", Hmac(Service.HmacSecret, b[7]))), b[7], true, ["X-Webhook-Signature"], Hmac(Service.HmacSecret, b[7])),
            new Expected("hmac", "invalid_payload", HttpStatusCode.BadRequest, Post("hmac", "not json " + b[8], headers: ("X-Webhook-Signature", Hmac(Service.HmacSecret, "not json " + b[8]))), "not json " + b[8], true, ["X-Webhook-Signature"], Hmac(Service.HmacSecret, "not json " + b[8])),
        };
        foreach (var expected in cases)
        {
            using var response = await _service.Http.SendAsync(expected.Request);
            Assert.Equal(expected.Status, response.StatusCode);
        }

        var path = $"/api/rejections?since={Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture))}&limit=100";
        var json = await Eventually.MatchesAsync(() => _service.GetJsonAsync(path), j => j?.GetProperty("items").GetArrayLength() >= cases.Length, TimeSpan.FromSeconds(20), "every refusal in the audit");
        var items = json!.Value.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(cases.Length, items.Length);
        foreach (var expected in cases)
        {
            var row = Assert.Single(items, r => r.GetProperty("provider").GetString() == expected.Provider && r.GetProperty("reason").GetString() == expected.Reason);
            Assert.Equal((int)expected.Status, row.GetProperty("status").GetInt32());
            Assert.Equal("127.0.0.1", row.GetProperty("clientAddress").GetString());
            Assert.Equal(Encoding.UTF8.GetByteCount(expected.Body), row.GetProperty("size").GetInt64());
            Assert.Equal(expected.BodyRead ? Sha256(expected.Body) : null, row.GetProperty("bodySha256").GetString());
            Assert.Equal(expected.SignatureHeaders, row.GetProperty("signatureHeaders").EnumerateArray().Select(h => h.GetString()).ToArray());
            Assert.True(DateTimeOffset.Parse(row.GetProperty("at").GetString()!, CultureInfo.InvariantCulture) >= since);
        }
        foreach (var expected in cases)
        {
            // Refusals for names that are not configured are counted together, under '*'.
            var provider = expected.Reason == "unknown_provider" ? "*" : expected.Provider;
            var counted = await _service.GetJsonAsync($"/api/rejections?provider={Uri.EscapeDataString(provider)}&reason={expected.Reason}&since={Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture))}");
            Assert.Equal(1, counted!.Value.GetProperty("counts").GetProperty(expected.Reason).GetInt64());
        }

        // Neither the stored rows nor the answer hold a secret, a signature value or a body.
        var stored = await TestDatabase.ScalarAsync<string>(_service.ConnectionString, "SELECT string_agg(row_to_json(r)::text, E'\\n') FROM webhook_rejections r");
        var answer = json.Value.GetRawText();
        foreach (var text in new[] { stored, answer })
        {
            Assert.DoesNotContain(Service.HmacSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(StripeSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(WrongSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("evt_", text, StringComparison.Ordinal);
            foreach (var signature in cases.Select(c => c.SignatureValue).OfType<string>())
            {
                Assert.DoesNotContain(signature, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Flood_OfBadDeliveries_LeavesBoundedRowsAndEveryOneCounted()
    {
        const int flood = 10_000;
        const int accepted = 300;
        var body = Signing.SeedEvent("evt_flood", "payment.completed", "pay_flood");
        var badSignature = Hmac(WrongSecret, body);
        var start = DateTimeOffset.UtcNow;

        // The accepted path alone (after a warm-up), then the same while the flood runs.
        await AcceptAsync(accepted);
        var alone = await AcceptAsync(accepted);
        var next = 0;
        var refused = 0;
        async Task FloodWorkerAsync()
        {
            while (Interlocked.Increment(ref next) <= flood)
            {
                using var request = Post("flooded", body, headers: ("X-Webhook-Signature", badSignature));
                using var response = await _service.Http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        }
        var flooding = Task.WhenAll(Enumerable.Range(0, 32).Select(_ => FloodWorkerAsync()));
        var during = await AcceptAsync(accepted);
        await flooding;
        var end = DateTimeOffset.UtcNow;
        output.WriteLine($"accepted path: {alone:F0}/s alone, {during:F0}/s during a flood of {flood} refusals");

        Assert.Equal(flood, refused);
        var path = $"/api/rejections?provider=flooded&since={Uri.EscapeDataString(start.ToString("O", CultureInfo.InvariantCulture))}&limit=1000";
        var json = await Eventually.MatchesAsync(
            () => _service.GetJsonAsync(path),
            j => j?.GetProperty("counts").TryGetProperty("no_secret_matched", out var n) == true && n.GetInt64() == flood,
            TimeSpan.FromSeconds(30), "every refusal counted");
        var minutes = (int)((end.ToUnixTimeSeconds() / 60) - (start.ToUnixTimeSeconds() / 60)) + 1;
        var rows = await TestDatabase.ScalarAsync<long>(_service.ConnectionString, "SELECT count(*) FROM webhook_rejections WHERE provider = 'flooded'");
        output.WriteLine($"{rows} rows for {flood} refusals over {minutes} minute(s)");
        Assert.InRange(rows, 1, RowsPerReasonPerMinute * minutes);
        Assert.Equal(rows, json!.Value.GetProperty("items").GetArrayLength());
    }

    /// <summary>Delivers <paramref name="count"/> valid events, 8 at a time; all must be accepted. Returns the rate per second.</summary>
    private async Task<double> AcceptAsync(int count)
    {
        var clock = Stopwatch.StartNew();
        var next = 0;
        async Task WorkerAsync()
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                using var response = await _service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent($"evt_{Guid.NewGuid():N}", "payment.completed", "pay_accepted")));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => WorkerAsync()));
        return count / clock.Elapsed.TotalSeconds;
    }
}
