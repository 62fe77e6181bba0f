using System.Globalization;
using System.Net;
using System.Text.Json;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Destinations;

/// <summary>
/// Parking and watching a destination as an operator does, from the real programs: a batched destination whose receiver
/// refuses one object, its parked change on <c>/api/destinations</c> and <c>/metrics</c>, retried and skipped through
/// the API.
/// </summary>
public sealed class ParkingEndToEndTests
{
    private const string Secret = "e2e-parking-secret";

    private static string Id(long seq) => seq.ToString(CultureInfo.InvariantCulture);

    /// <summary>The value of the sample of <paramref name="series"/> with all of <paramref name="labels"/>, or null.</summary>
    private static double? Sample(string scrape, string series, params string[] labels) =>
        scrape.Split('\n')
            .Where(line => line.StartsWith(series + "{", StringComparison.Ordinal))
            .Where(line => labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            .Select(line => (double?)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
            .FirstOrDefault();

    [Fact]
    public async Task RefusedChange_ParkedListedCountedAndInMetrics_RetryAndSkipThroughTheApi()
    {
        await using var odoo = await PushReceiver.StartAsync(TestPorts.Of(8390), Secret);
        odoo.FailingObject = "payment:hmac:refused";
        await using var service = await Service.StartAsync("webhooks_test_push_parking", 8350, environment: new Dictionary<string, string>
        {
            ["Webhooks__Destinations__odoo__Url"] = odoo.Url,
            ["Webhooks__Destinations__odoo__Secrets__0"] = Secret,
            ["Webhooks__Destinations__odoo__Batch"] = "10",
            ["Webhooks__Destinations__odoo__ParkAfter"] = "3",
            ["Webhooks__Destinations__odoo__InitialBackoff"] = "00:00:00.200",
            ["Webhooks__Destinations__odoo__MaxBackoff"] = "00:00:01",
        });
        var scrape = await service.Http.GetStringAsync("/metrics"); // the starting point of the attempt counters
        var seqs = await ChangeLog.AppendAsync(service.ConnectionString,
            [.. ChangeLog.Spread("ok", 40, 8), ChangeLog.Of("payment", "refused", 1), .. ChangeLog.Spread("ok", 40, 8)]);
        var refused = seqs[40];

        var list = (await Eventually.MatchesAsync(() => service.GetJsonAsync("/api/destinations"),
            l => l is { } found && found[0].GetProperty("parked").GetInt64() == 1 && found[0].GetProperty("cursor").GetString() == Id(seqs[^1]),
            TimeSpan.FromSeconds(60), "the refused change parked and the cursor past it"))!.Value;
        Assert.Equal(["name", "url", "state", "cursor", "lagChanges", "lagSeconds", "parked", "lastError"], list[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(seqs.Length - 1, odoo.Delivered.Count);

        var parked = (await service.GetJsonAsync("/api/destinations/odoo/parked?limit=10"))!.Value;
        var change = Assert.Single(parked.EnumerateArray());
        Assert.Equal(["changeId", "kind", "provider", "id", "attempts", "error", "parkedAt"], change.EnumerateObject().Select(p => p.Name));
        Assert.Equal((Id(refused), "payment", "hmac", "refused", 3), (change.GetProperty("changeId").GetString(), change.GetProperty("kind").GetString(),
            change.GetProperty("provider").GetString(), change.GetProperty("id").GetString(), change.GetProperty("attempts").GetInt32()));
        Assert.Contains("HTTP 500", change.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await service.Http.GetAsync("/api/destinations/odoo/parked?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Http.GetAsync("/api/destinations/nowhere/parked")).StatusCode);

        // /metrics: parked, lag, paused and the attempts by outcome.
        scrape = await Eventually.MatchesAsync(() => service.Http.GetStringAsync("/metrics"),
            s => Sample(s, "webhooks_destination_parked", "destination=\"odoo\"") == 1 && Sample(s, "webhooks_destination_attempts_total", "destination=\"odoo\"", "outcome=\"delivered\"") >= seqs.Length - 1,
            TimeSpan.FromSeconds(30), "the parked change and the attempts in /metrics");
        Assert.Equal(0, Sample(scrape, "webhooks_destination_lag_changes", "destination=\"odoo\""));
        Assert.Equal(0, Sample(scrape, "webhooks_destination_lag_seconds", "destination=\"odoo\""));
        Assert.Equal(0, Sample(scrape, "webhooks_destination_paused", "destination=\"odoo\""));
        Assert.True(Sample(scrape, "webhooks_destination_attempts_total", "destination=\"odoo\"", "outcome=\"failed\"") >= 3, scrape);

        // Retry, once the receiver takes it: 202, delivered, no longer parked.
        odoo.FailingObject = null;
        Assert.Equal(HttpStatusCode.NotFound, (await service.Http.PostAsync($"/api/destinations/odoo/parked/{seqs[0]}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Http.PostAsync("/api/destinations/odoo/parked/abc/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Http.PostAsync($"/api/destinations/nowhere/parked/{refused}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await service.Http.PostAsync($"/api/destinations/odoo/parked/{refused}/retry", null)).StatusCode);
        await Eventually.MatchesAsync(() => service.GetJsonAsync("/api/destinations/odoo/parked"), p => p is { } found && found.GetArrayLength() == 0,
            TimeSpan.FromSeconds(30), "the retried change unparked");
        Assert.Contains(Id(refused), odoo.Delivered);

        // Skip: another refused change parked, then dropped through the API; recorded in the deliveries.
        odoo.FailingObject = "order:hmac:dropped";
        var dropped = (await ChangeLog.AppendAsync(service.ConnectionString, [ChangeLog.Of("order", "dropped", 1), .. ChangeLog.Spread("more", 9, 3)]))[0];
        await Eventually.MatchesAsync(() => service.GetJsonAsync("/api/destinations/odoo/parked"), p => p is { } found && found.GetArrayLength() == 1,
            TimeSpan.FromSeconds(60), "the second refused change parked");
        Assert.Equal(HttpStatusCode.Accepted, (await service.Http.PostAsync($"/api/destinations/odoo/parked/{dropped}/skip", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Http.PostAsync($"/api/destinations/odoo/parked/{dropped}/skip", null)).StatusCode);
        Assert.Equal(0, (await service.GetJsonAsync("/api/destinations"))!.Value[0].GetProperty("parked").GetInt64());
        var deliveries = (await service.GetJsonAsync("/api/destinations/odoo/deliveries?limit=100"))!.Value;
        Assert.Contains(deliveries.EnumerateArray(), a => a.GetProperty("changeId").GetString() == Id(dropped)
            && a.GetProperty("status").ValueKind == JsonValueKind.Null && a.GetProperty("error").GetString()!.Contains("skipped", StringComparison.Ordinal));
        Assert.DoesNotContain(Id(dropped), odoo.Delivered);

        // Paused: 1 in /metrics.
        Assert.Equal(HttpStatusCode.Accepted, (await service.Http.PostAsync("/api/destinations/odoo/pause", null)).StatusCode);
        scrape = await Eventually.MatchesAsync(() => service.Http.GetStringAsync("/metrics"),
            s => Sample(s, "webhooks_destination_paused", "destination=\"odoo\"") == 1, TimeSpan.FromSeconds(30), "paused in /metrics");
        Assert.Equal(0, Sample(scrape, "webhooks_destination_parked", "destination=\"odoo\""));
        Assert.True(Sample(scrape, "webhooks_destination_attempts_total", "destination=\"odoo\"", "outcome=\"skipped\"") == 1, scrape);
    }
}
