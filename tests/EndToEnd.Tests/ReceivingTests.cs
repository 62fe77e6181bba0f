using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests;

[Collection(ServiceCollection.Name)]
public sealed class ReceivingTests(ServiceFixture fixture)
{
    private Service Service => fixture.Service;

    private static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    private async Task<JsonElement> ProcessedEventAsync(string externalId, string provider = "hmac") =>
        (await Eventually.MatchesAsync(
            () => Service.GetJsonAsync($"/api/events/{provider}/{Uri.EscapeDataString(externalId)}"),
            e => e?.GetProperty("state").GetString() is "processed" or "failed" or "ignored",
            because: "the event should be processed"))!.Value;

    private Task<long> StoredCountAsync(string externalId) =>
        TestDatabase.ScalarAsync<long>(Service.ConnectionString, "SELECT count(*) FROM webhook_events WHERE external_id = @x", ("x", externalId));

    [Fact]
    public async Task SignedPaymentCompleted_Returns200_EventStoredAndPaymentRecorded()
    {
        var (eventId, paymentId) = (NewId("evt"), NewId("pay"));

        using var response = await Service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent(eventId, "payment.completed", paymentId, 1234, "usd")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("accepted", body.GetProperty("status").GetString());
        Assert.Equal($"hmac:{eventId}", body.GetProperty("id").GetString());
        Assert.Equal(1, await StoredCountAsync(eventId)); // committed by the time of the 200

        var stored = await ProcessedEventAsync(eventId);
        Assert.Equal("processed", stored.GetProperty("state").GetString());
        Assert.Equal("payment.completed", stored.GetProperty("type").GetString());
        Assert.Equal("payment.completed", stored.GetProperty("providerType").GetString());
        Assert.Equal(1, stored.GetProperty("deliveries").GetInt32());
        Assert.Equal(1, stored.GetProperty("attempts").GetInt32());
        Assert.Equal(JsonValueKind.String, stored.GetProperty("processedAt").ValueKind);

        var payment = (await Service.GetJsonAsync($"/api/payments/hmac/{paymentId}"))!.Value;
        Assert.Equal(12.34m, payment.GetProperty("amount").GetDecimal());
        Assert.Equal("usd", payment.GetProperty("currency").GetString());
        Assert.Equal("completed", payment.GetProperty("status").GetString());
        Assert.Equal("cus_1", payment.GetProperty("customerId").GetString());
        Assert.Equal(0m, payment.GetProperty("refundedAmount").GetDecimal());
    }

    [Fact]
    public async Task SameDeliveryTwentyTimesConcurrently_OneAcceptedNineteenDuplicatesOnePayment()
    {
        var (eventId, paymentId) = (NewId("evt"), NewId("pay"));
        var body = Signing.SeedEvent(eventId, "payment.completed", paymentId, 500, "eur");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await Service.Http.SendAsync(Signing.Hmac(body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString();
        }));

        Assert.Equal(1, responses.Count(s => s == "accepted"));
        Assert.Equal(19, responses.Count(s => s == "duplicate"));
        Assert.Equal(1, await StoredCountAsync(eventId));
        var stored = await ProcessedEventAsync(eventId);
        Assert.Equal(20, stored.GetProperty("deliveries").GetInt32());
        var payment = (await Service.GetJsonAsync($"/api/payments/hmac/{paymentId}"))!.Value;
        Assert.Equal(5.00m, payment.GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task WrongSignature_Returns401AndStoresNothing()
    {
        var eventId = NewId("evt");

        using var response = await Service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent(eventId, "payment.completed", NewId("pay")), secret: "not-the-secret"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(Service.HmacSecret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await StoredCountAsync(eventId));
        using var read = await Service.Http.GetAsync($"/api/events/hmac/{eventId}");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task MissingSignature_Returns401()
    {
        var request = Signing.Hmac(Signing.SeedEvent(NewId("evt"), "payment.completed", NewId("pay")));
        request.Headers.Remove("X-Webhook-Signature");

        using var response = await Service.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ValidSignatureOverInvalidJson_Returns400AndStoresNothing()
    {
        // Tests of this collection run one at a time, so no other delivery adds rows meanwhile.
        const string countAll = "SELECT count(*) FROM webhook_events";
        var before = await TestDatabase.ScalarAsync<long>(Service.ConnectionString, countAll);

        using var response = await Service.Http.SendAsync(Signing.Hmac("{\"id\":\"evt_broken\",\"type\":"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await TestDatabase.ScalarAsync<long>(Service.ConnectionString, countAll));
    }

    [Fact]
    public async Task NulCharacters_InTheIdA400_InANameEscapedAndTheEventStored()
    {
        const string countAll = "SELECT count(*) FROM webhook_events";
        var before = await TestDatabase.ScalarAsync<long>(Service.ConnectionString, countAll);
        using (var badId = await Service.Http.SendAsync(Signing.Hmac($$$"""{"id":"evt_{{{Guid.NewGuid():N}}}\u0000x","type":"payment.completed","data":{"id":"pay_nul"}}""")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        }
        Assert.Equal(before, await TestDatabase.ScalarAsync<long>(Service.ConnectionString, countAll));

        var (eventId, customerId) = (NewId("evt"), NewId("cus"));
        using (var nulName = await Service.Http.SendAsync(Signing.Hmac($$$"""{"id":"{{{eventId}}}","type":"customer.updated","data":{"id":"{{{customerId}}}","name":"Ada\u0000 Lovelace","email":"ada@example.com"}}""")))
        {
            Assert.Equal(HttpStatusCode.OK, nulName.StatusCode);
        }
        await ProcessedEventAsync(eventId);
        var customer = (await Service.GetJsonAsync($"/api/customers/hmac/{customerId}"))!.Value;
        Assert.Equal(("Ada\\u0000 Lovelace", "ada@example.com"), (customer.GetProperty("name").GetString(), customer.GetProperty("email").GetString()));
    }

    [Fact]
    public async Task UnknownProvider_Returns404()
    {
        using var response = await Service.Http.SendAsync(Signing.Hmac("{}", provider: "nobody"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task BodyOverTheLimit_Returns413()
    {
        var big = $$"""{"id":"{{NewId("evt")}}","type":"x","pad":"{{new string('a', 1024 * 1024 + 10)}}"}""";

        using var response = await Service.Http.SendAsync(Signing.Hmac(big));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task ContentTypeTheSchemeCannotRead_Returns415()
    {
        using var response = await Service.Http.SendAsync(Signing.Hmac("<xml/>", contentType: "application/xml"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData("jpy", 5000, "5000")]
    [InlineData("kwd", 1234, "1.234")]
    [InlineData("usd", 199, "1.99")]
    public async Task AmountInMinorUnits_ConvertedWithTheCurrencysExponent(string currency, long minor, string expected)
    {
        var (eventId, paymentId) = (NewId("evt"), NewId("pay"));

        using var response = await Service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent(eventId, "payment.completed", paymentId, minor, currency)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await ProcessedEventAsync(eventId);

        var payment = (await Service.GetJsonAsync($"/api/payments/hmac/{paymentId}"))!.Value;
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), payment.GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task TwoHundredConcurrentDeliveriesOfFiftyEvents_FiftyEventsEachAppliedOnce()
    {
        var paymentId = NewId("pay");
        using (var payment = await Service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent(NewId("evt"), "payment.completed", paymentId, 100_000, "usd"))))
        {
            Assert.Equal(HttpStatusCode.OK, payment.StatusCode);
        }
        // 50 refunds of 1.00 each, every one delivered 4 times at once: applied once each, they add up to exactly 50.00.
        var refunds = Enumerable.Range(0, 50).Select(_ => Signing.SeedEvent(NewId("evt"), "refund.processed", NewId("re"), 100, "usd", payment: paymentId)).ToArray();
        var deliveries = refunds.SelectMany(body => Enumerable.Repeat(body, 4)).OrderBy(_ => Random.Shared.Next()).ToArray();

        var statuses = await Task.WhenAll(deliveries.Select(async body =>
        {
            using var response = await Service.Http.SendAsync(Signing.Hmac(body));
            return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s.StatusCode));
        Assert.Equal(50, statuses.Count(s => s.Item2 == "accepted"));
        Assert.Equal(150, statuses.Count(s => s.Item2 == "duplicate"));
        var counts = await TestDatabase.ScalarAsync<long>(Service.ConnectionString,
            "SELECT count(*) FROM webhook_events WHERE type = 'refund.processed' AND details->>'paymentId' = @p AND deliveries = 4", ("p", paymentId));
        Assert.Equal(50, counts);
        // Nothing is left to apply once every refund's run has recorded its outcome, and each took one run: runs start
        // only from an accepted delivery (the duplicates start none) or the sweep, which takes only unprocessed events.
        await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<long>(Service.ConnectionString,
                "SELECT count(*) FROM webhook_events WHERE type = 'refund.processed' AND details->>'paymentId' = @p AND state = 'processed'", ("p", paymentId)),
            processed => processed == 50, because: "every refund's outcome recorded");
        var runs = await TestDatabase.ScalarAsync<long>(Service.ConnectionString,
            "SELECT sum(attempts) FROM webhook_events WHERE type = 'refund.processed' AND details->>'paymentId' = @p", ("p", paymentId));
        Assert.Equal(50, runs);
        var view = (await Service.GetJsonAsync($"/api/payments/hmac/{paymentId}"))!.Value;
        Assert.Equal(50m, view.GetProperty("refundedAmount").GetDecimal());
        Assert.Equal("partially_refunded", view.GetProperty("status").GetString());
    }

    [Fact]
    public async Task EventIdWithSlash_ReadBackThroughEncodedPath()
    {
        var eventId = $"orders/{Guid.NewGuid():N}/paid";

        using var response = await Service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent(eventId, "order.created", NewId("ord"))));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var stored = await ProcessedEventAsync(eventId);
        Assert.Equal(eventId, stored.GetProperty("externalId").GetString());
    }

    [Fact]
    public async Task ListFailedEvents_RejectsUnknownStateAndAcceptsLimit()
    {
        using var bad = await Service.Http.GetAsync("/api/events?state=bogus");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var eventId = NewId("evt");
        using (var ignored = await Service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent(eventId, "invoice.paid", NewId("inv")))))
        {
            Assert.Equal(HttpStatusCode.OK, ignored.StatusCode);
        }
        await ProcessedEventAsync(eventId);

        var list = (await Service.GetJsonAsync("/api/events?state=ignored&provider=hmac&limit=5"))!.Value.GetProperty("items");
        Assert.InRange(list.GetArrayLength(), 1, 5);
        Assert.Equal(eventId, list[0].GetProperty("externalId").GetString());
        Assert.All(list.EnumerateArray(), e => Assert.Equal("ignored", e.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Replay_UnknownEvent404_KnownEvent202()
    {
        using var unknown = await Service.Http.PostAsync($"/api/events/hmac/{NewId("never")}/replay", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var (eventId, paymentId) = (NewId("evt"), NewId("pay"));
        using (var accepted = await Service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent(eventId, "payment.completed", paymentId, 700))))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }
        await ProcessedEventAsync(eventId);

        using var replay = await Service.Http.PostAsync($"/api/events/hmac/{eventId}/replay", null);

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        var stored = await Eventually.MatchesAsync(() => Service.GetJsonAsync($"/api/events/hmac/{eventId}"), e => e?.GetProperty("attempts").GetInt32() == 2);
        Assert.Equal("processed", stored!.Value.GetProperty("state").GetString());
        Assert.Equal(7.00m, (await Service.GetJsonAsync($"/api/payments/hmac/{paymentId}"))!.Value.GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task Health_LiveAndReadyAnswer200()
    {
        using var live = await Service.Http.GetAsync("/health/live");
        using var ready = await Service.Http.GetAsync("/health/ready");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (live.StatusCode, ready.StatusCode));
    }

    [Fact]
    public async Task Dashboard_ServedOnLoopback()
    {
        using var response = await Service.Http.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/api/events?state=failed")]
    [InlineData("/dashboard/")]
    public async Task WithoutKeyOrPassword_ARequestThroughAReverseProxyOnThisHost_Forbidden(string path)
    {
        // nginx on the same host connects from 127.0.0.1 and says who the caller really is.
        using var proxied = new HttpRequestMessage(HttpMethod.Get, path);
        proxied.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var response = await Service.Http.SendAsync(proxied);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        using var local = await Service.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
    }
}
