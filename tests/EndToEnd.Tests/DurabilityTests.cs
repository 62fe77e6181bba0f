using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests;

/// <summary>Stopping and killing silo processes: what was accepted is never lost. Each test runs a cluster of its own.</summary>
public sealed class DurabilityTests
{
    private static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    [Fact]
    public async Task SiloRestart_EventAndPaymentSurvive_AndWhileDownDeliveriesGet503()
    {
        await using var service = await Service.StartAsync("webhooks_test_restart", 5450, environment: Service.RecoverFast());
        var (eventId, paymentId) = (NewId("evt"), NewId("pay"));
        using (var accepted = await service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent(eventId, "payment.completed", paymentId, 4200, "usd"))))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }
        await Eventually.MatchesAsync(() => service.GetJsonAsync($"/api/events/hmac/{eventId}"), e => e?.GetProperty("state").GetString() == "processed");

        await service.Silo(0).StopAsync();

        var whileDownId = NewId("evt");
        using (var down = await service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent(whileDownId, "payment.completed", NewId("pay")))))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.True(down.Headers.RetryAfter is not null, "503 carries Retry-After");
        }
        using (var notReady = await service.Http.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        }
        using (var query = await service.Http.GetAsync($"/api/events/hmac/{eventId}"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, query.StatusCode);
            Assert.True(query.Headers.RetryAfter is not null, "503 carries Retry-After");
        }

        service.StartSilo(0);
        await service.WaitUntilReadyAsync();

        var stored = (await service.GetJsonAsync($"/api/events/hmac/{eventId}"))!.Value;
        Assert.Equal(("processed", 1), (stored.GetProperty("state").GetString(), stored.GetProperty("deliveries").GetInt32()));
        var payment = (await service.GetJsonAsync($"/api/payments/hmac/{paymentId}"))!.Value;
        Assert.Equal(42.00m, payment.GetProperty("amount").GetDecimal());
        Assert.Equal(0, await TestDatabase.ScalarAsync<long>(service.ConnectionString, "SELECT count(*) FROM webhook_events WHERE external_id = @x", ("x", whileDownId)));
    }

    [Fact]
    public async Task WebApiStartedBeforeAnySilo_Answers503WithRetryAfter_ThenAcceptsOnceASiloJoins()
    {
        await using var service = await Service.StartWebApiFirstAsync("webhooks_test_apifirst", 5700);
        var eventId = NewId("evt");

        using (var notReady = await service.Http.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        }
        using (var early = await service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent(eventId, "payment.completed", NewId("pay")))))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
            Assert.True(early.Headers.RetryAfter is not null, "503 carries Retry-After");
        }

        service.StartSilo(0);
        await service.WaitUntilReadyAsync();

        // The provider's retry.
        using var retried = await service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent(eventId, "payment.completed", NewId("pay"))));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("accepted", JsonDocument.Parse(await retried.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task SiloKilledBeforeProcessing_AfterRestartEveryAcceptedEventIsProcessed()
    {
        // The first silo only ingests, so that every accepted event is still unprocessed when it is killed.
        await using var service = await Service.StartAsync("webhooks_test_kill", 5500, environment: Service.RecoverFast(new Dictionary<string, string>
        {
            ["Webhooks__Processing__Enabled"] = "false",
        }));
        var paymentId = NewId("pay");
        var ids = Enumerable.Range(0, 30).Select(_ => NewId("evt")).ToArray();
        var statuses = await Task.WhenAll(ids.Select(async (id, i) =>
        {
            var body = i == 0
                ? Signing.SeedEvent(id, "payment.completed", paymentId, 10_000, "usd")
                : Signing.SeedEvent(id, "refund.processed", NewId("re"), 10, "usd", payment: paymentId);
            using var response = await service.Http.SendAsync(Signing.Hmac(body));
            return response.StatusCode;
        }));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(30, await TestDatabase.ScalarAsync<long>(service.ConnectionString, "SELECT count(*) FROM webhook_events WHERE state = 'received'"));

        await service.Silo(0).KillAsync();
        service.StartSilo(0, new Dictionary<string, string> { ["Webhooks__Processing__Enabled"] = "true" });
        await service.WaitUntilReadyAsync();

        await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<long>(service.ConnectionString, "SELECT count(*) FROM webhook_events WHERE state = 'processed'"),
            processed => processed == 30, TimeSpan.FromSeconds(30), "all 30 accepted events processed after the restart");
        // Read as a client would, retrying a 503 while the restarted cluster settles.
        var payment = (await Eventually.MatchesAsync(() => service.GetJsonAsync($"/api/payments/hmac/{paymentId}"), p => p is not null,
            TimeSpan.FromSeconds(30), "the payment readable through the management API"))!.Value;
        Assert.Equal(100.00m, payment.GetProperty("amount").GetDecimal());
        Assert.Equal(2.90m, payment.GetProperty("refundedAmount").GetDecimal());
    }

    [Fact]
    public async Task TwoSilos_OneKilled_EventsAcceptedAndProcessedByTheOther()
    {
        await using var service = await Service.StartAsync("webhooks_test_cluster", 5550, silos: 2, environment: Service.RecoverFast());
        await service.Silo(1).KillAsync();

        var ids = Enumerable.Range(0, 20).Select(_ => NewId("evt")).ToArray();
        foreach (var id in ids)
        {
            // Until the cluster declares the killed silo dead, a call routed to it may fail with 503: the provider retries.
            await Eventually.MatchesAsync(async () =>
            {
                using var response = await service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent(id, "customer.updated", NewId("cus"))));
                return response.StatusCode;
            }, status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "a delivery is accepted once the survivor owns the grains");
        }

        await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<long>(service.ConnectionString, "SELECT count(*) FROM webhook_events WHERE state = 'processed'"),
            processed => processed == ids.Length, TimeSpan.FromSeconds(60));
        // The survivor declared the killed silo dead (Orleans' SiloStatus.Dead is 6) in the membership table.
        await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<long>(service.ConnectionString,
                "SELECT count(*) FROM orleans_membership WHERE deployment_id = @c AND port = @p AND status = 6", ("c", service.ClusterId), ("p", service.SiloPort(1))),
            dead => dead == 1, TimeSpan.FromSeconds(60), "the killed silo declared dead");
    }
}
