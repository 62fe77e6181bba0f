using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests;

/// <summary>With a management API key and a dashboard password configured, both are required.</summary>
public sealed class AccessTests
{
    private const string ApiKey = "e2e-management-key";
    private const string DashboardPassword = "e2e-dashboard-password";

    [Fact]
    public async Task ConfiguredKeyAndPassword_AreRequired()
    {
        await using var service = await Service.StartAsync("webhooks_test_access", 5650, environment: new Dictionary<string, string>
        {
            ["Webhooks__ManagementApiKey"] = ApiKey,
            ["Dashboard__Password"] = DashboardPassword,
            ["Webhooks__RateLimit__PermitsPerSecond"] = "3",
        });

        using (var withoutKey = await service.Http.GetAsync("/api/events?state=failed"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        }
        using (var wrongKey = new HttpRequestMessage(HttpMethod.Get, "/api/events?state=failed"))
        {
            wrongKey.Headers.Add("X-Api-Key", "guess");
            using var response = await service.Http.SendAsync(wrongKey);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using (var rightKey = new HttpRequestMessage(HttpMethod.Get, "/api/events?state=failed"))
        {
            rightKey.Headers.Add("X-Api-Key", ApiKey);
            using var response = await service.Http.SendAsync(rightKey);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // /metrics follows the management API's rule.
        using (var metricsWithoutKey = await service.Http.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, metricsWithoutKey.StatusCode);
        }
        using (var metricsWithKey = new HttpRequestMessage(HttpMethod.Get, "/metrics"))
        {
            metricsWithKey.Headers.Add("X-Api-Key", ApiKey);
            using var response = await service.Http.SendAsync(metricsWithKey);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("webhooks_silos_active", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var metricsAsPrometheus = new HttpRequestMessage(HttpMethod.Get, "/metrics"))
        {
            metricsAsPrometheus.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
            using var response = await service.Http.SendAsync(metricsAsPrometheus);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var anonymous = await service.Http.GetAsync("/dashboard/"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
        using (var login = new HttpRequestMessage(HttpMethod.Get, "/dashboard/"))
        {
            login.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{DashboardPassword}")));
            using var response = await service.Http.SendAsync(login);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Receiving webhooks needs neither: providers authenticate by signature.
        using var delivery = await service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent($"evt_{Guid.NewGuid():N}", "payment.completed", "pay_access")));
        Assert.Equal(HttpStatusCode.OK, delivery.StatusCode);

        // Beyond the per-provider rate (3 per second here) deliveries get 429 with Retry-After, and are not stored.
        // The exact count under a limiter that cannot refill is tested in memory (WebhookRateLimitsTests); here the
        // bound follows the time the burst took: 3 permits at its start, 3 more for each refill within it.
        var started = Stopwatch.StartNew();
        var burst = await Task.WhenAll(Enumerable.Range(0, 60).Select(async _ =>
        {
            var id = $"evt_{Guid.NewGuid():N}";
            using var response = await service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent(id, "payment.completed", "pay_burst")));
            return (Id: id, response.StatusCode, response.Headers.RetryAfter);
        }));
        var refills = (int)Math.Ceiling(started.Elapsed.TotalSeconds);
        var limited = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        Assert.All(burst, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.InRange(burst.Count(r => r.StatusCode == HttpStatusCode.OK), 1, 3 * (1 + refills));
        Assert.NotEmpty(limited);
        Assert.All(limited, r => Assert.NotNull(r.RetryAfter));
        Assert.Equal(0, await TestDatabase.ScalarAsync<long>(service.ConnectionString,
            "SELECT count(*) FROM webhook_events WHERE external_id = ANY(@ids)", ("ids", limited.Select(r => r.Id).ToArray())));

        // Each of them is counted in the audit of refused deliveries.
        await Eventually.MatchesAsync(async () =>
        {
            using var audit = new HttpRequestMessage(HttpMethod.Get, "/api/rejections?provider=hmac&reason=provider_rate_limited");
            audit.Headers.Add("X-Api-Key", ApiKey);
            using var response = await service.Http.SendAsync(audit);
            var json = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            return json.TryGetProperty("counts", out var counts) && counts.TryGetProperty("provider_rate_limited", out var n) ? n.GetInt64() : 0;
        }, counted => counted == limited.Length, TimeSpan.FromSeconds(20), "every 429 in the audit");
    }
}
