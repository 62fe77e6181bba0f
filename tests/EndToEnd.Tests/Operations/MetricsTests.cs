using System.Net;
using System.Text.RegularExpressions;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Operations;

[Collection(ServiceCollection.Name)]
public sealed class MetricsTests(ServiceFixture fixture)
{
    private Service Service => fixture.Service;

    private async Task<string> ScrapeAsync()
    {
        using var response = await Service.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of the first sample of <paramref name="series"/> whose labels include all of <paramref name="labels"/>, or null.</summary>
    private static double? Sample(string scrape, string series, params string[] labels) =>
        scrape.Split('\n')
            .Where(line => line.StartsWith(series + "{", StringComparison.Ordinal) || line.StartsWith(series + " ", StringComparison.Ordinal))
            .Where(line => labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            .Select(line => (double?)double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();

    [Fact]
    public async Task Metrics_AfterDeliveries_ExposeDeliveriesOutcomesLatencyBacklogAndOrleans()
    {
        var ids = Enumerable.Range(0, 3).Select(_ => $"evt_{Guid.NewGuid():N}").ToArray();
        foreach (var id in ids)
        {
            using var accepted = await Service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent(id, "payment.completed", $"pay_{Guid.NewGuid():N}")));
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }
        using (var forged = await Service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent("evt_forged", "payment.completed", "pay_x"), secret: "not-the-secret")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }
        // The processed events are counted once their outcome is a few seconds old (ClusterMetrics.Lag).
        var scrape = await Eventually.MatchesAsync(ScrapeAsync,
            s => Sample(s, "webhooks_events_finished_total", "state=\"processed\"") >= ids.Length, TimeSpan.FromSeconds(30),
            "the processed events counted in webhooks_events_finished_total");

        Assert.True(Sample(scrape, "webhooks_deliveries_total", "provider=\"hmac\"", "outcome=\"accepted\"") >= ids.Length, scrape);
        Assert.True(Sample(scrape, "webhooks_deliveries_total", "provider=\"hmac\"", "outcome=\"unauthorized\"") >= 1, scrape);
        Assert.True(Sample(scrape, "webhooks_processing_latency_seconds_count", "state=\"processed\"") >= ids.Length, scrape);
        Assert.True(Sample(scrape, "webhooks_processing_latency_seconds_bucket", "state=\"processed\"", "le=\"+Inf\"") >= ids.Length, scrape);
        Assert.NotNull(Sample(scrape, "webhooks_backlog_events"));
        Assert.NotNull(Sample(scrape, "webhooks_backlog_oldest_age_seconds"));
        Assert.Equal(1, Sample(scrape, "webhooks_silos_active"));
        Assert.Equal(1, Sample(scrape, "webhooks_database_up"));
        Assert.Matches(new Regex("^orleans_", RegexOptions.Multiline), scrape);
    }

    [Fact]
    public async Task Metrics_RefuseACallerTheManagementApiRefuses()
    {
        // Without a key both answer loopback callers only; a request through a reverse proxy is not one.
        foreach (var path in new[] { "/api/events?state=failed", "/metrics" })
        {
            using var proxied = new HttpRequestMessage(HttpMethod.Get, path);
            proxied.Headers.Add("X-Forwarded-For", "203.0.113.7");
            using var response = await Service.Http.SendAsync(proxied);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        Assert.Contains("webhooks_", await ScrapeAsync(), StringComparison.Ordinal);
    }
}
