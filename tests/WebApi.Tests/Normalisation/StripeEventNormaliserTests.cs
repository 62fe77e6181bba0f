using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Normalisation;
using Orleans.Webhooks.WebApi.Providers;
using static Orleans.Webhooks.WebApi.Tests.TestRequests;

namespace Orleans.Webhooks.WebApi.Tests.Normalisation;

public sealed class StripeEventNormaliserTests
{
    private static readonly StripeEventNormaliser Normaliser = new();

    private static NormalisedEvent Read(string json)
    {
        var result = Normalise(Normaliser, Create(new ProviderOptions(), Utf8(json)));
        Assert.Null(result.Error);
        return result.Event!;
    }

    // Shaped like Stripe's documented Event and PaymentIntent objects.
    private static string PaymentIntentEvent(string type, long amount, string currency, long received) => $$"""
        {
          "id": "evt_3MtwBwLkdIwHu7ix28a3tqPa",
          "object": "event",
          "api_version": "2022-11-15",
          "created": 1680064028,
          "data": {
            "object": {
              "id": "pi_3MtwBwLkdIwHu7ix28a3tqPa",
              "object": "payment_intent",
              "amount": {{amount}},
              "amount_capturable": 0,
              "amount_received": {{received}},
              "currency": "{{currency}}",
              "customer": "cus_NffrFeUfNV2Hib",
              "metadata": { "order_id": "6735" },
              "payment_method_types": ["card"],
              "status": "succeeded"
            }
          },
          "livemode": false,
          "pending_webhooks": 1,
          "request": { "id": "req_7a2lZ4eJbN9W8q", "idempotency_key": "a3e56b0a-3b3e-4a1e-8d55-2c24a1a1b5a8" },
          "type": "{{type}}"
        }
        """;

    [Fact]
    public void StripePaymentIntentSucceeded_UsdMinorUnits_NormalisedToPaymentCompleted()
    {
        var evt = Read(PaymentIntentEvent("payment_intent.succeeded", 2000, "usd", 2000));
        Assert.Equal("evt_3MtwBwLkdIwHu7ix28a3tqPa", evt.ExternalId);
        Assert.Equal("payment_intent.succeeded", evt.ProviderType);
        Assert.Equal(EventTypes.PaymentCompleted, evt.Type);
        Assert.Equal("pi_3MtwBwLkdIwHu7ix28a3tqPa", evt.Details.ObjectId);
        Assert.Equal(20.00m, evt.Details.Amount);
        Assert.Equal("usd", evt.Details.Currency);
        Assert.Equal("cus_NffrFeUfNV2Hib", evt.Details.CustomerId);
        Assert.Equal("6735", evt.Details.OrderId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1680064028), evt.Details.OccurredAt);
    }

    [Fact]
    public void StripePaymentIntent_JpyZeroDecimal_AmountUnchanged() =>
        Assert.Equal(5000m, Read(PaymentIntentEvent("payment_intent.succeeded", 5000, "jpy", 5000)).Details.Amount);

    [Theory]
    [InlineData("isk", 50000, "500")]  // Stripe counts krónur in hundredths although ISO 4217 gives them no decimals
    [InlineData("mga", 1000, "1000")]  // and ariary in whole units although ISO 4217 gives them two
    [InlineData("huf", 150000, "1500")]
    public void StripePaymentIntent_CurrenciesWhereStripeDiffersFromIso_AmountAsStripeMeansIt(string currency, long minor, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            Read(PaymentIntentEvent("payment_intent.succeeded", minor, currency, minor)).Details.Amount);

    [Fact]
    public void StripeCustomer_NameWithALoneSurrogate_NameUnreadableButEventAccepted()
    {
        // An emoji cut in half by the sender: valid JSON grammar, not valid text.
        var evt = Read("""{"id":"evt_s","type":"customer.updated","data":{"object":{"id":"cus_s","object":"customer","email":"s@example.com","name":"ab\ud83d"}}}""");
        Assert.Equal(("evt_s", "cus_s", "s@example.com", (string?)null), (evt.ExternalId, evt.Details.ObjectId, evt.Details.Email, evt.Details.Name));
    }

    [Fact]
    public void StripeEventId_ALoneSurrogate_ReturnsInvalidNotAnException() =>
        Assert.NotNull(Normalise(Normaliser, Create(new ProviderOptions(), Utf8("""{"id":"evt_\udc00","type":"customer.updated"}"""))).Error);

    [Fact]
    public void StripePaymentIntent_AbsurdAmount_NoAmountRatherThanAnOverflow() =>
        Assert.Null(Read(PaymentIntentEvent("payment_intent.succeeded", long.MaxValue, "usd", long.MaxValue)).Details.Amount);

    [Fact]
    public void StripePaymentIntent_KwdThreeDecimals_AmountDividedByThousand() =>
        Assert.Equal(1.234m, Read(PaymentIntentEvent("payment_intent.succeeded", 1234, "kwd", 1234)).Details.Amount);

    [Fact]
    public void StripePaymentIntentFailed_NothingReceived_UsesAmountAndMapsToPaymentFailed()
    {
        var evt = Read(PaymentIntentEvent("payment_intent.payment_failed", 2000, "usd", 0));
        Assert.Equal(EventTypes.PaymentFailed, evt.Type);
        Assert.Equal(20.00m, evt.Details.Amount);
    }

    [Fact]
    public void StripeChargeRefunded_AmountRefundedIsRunningTotal()
    {
        var evt = Read("""
            {
              "id": "evt_3MmlLrLkdIwHu7ix0GdgfBqR",
              "object": "event",
              "created": 1679090321,
              "data": {
                "object": {
                  "id": "ch_3MmlLrLkdIwHu7ix0snN0B15",
                  "object": "charge",
                  "amount": 1099,
                  "amount_captured": 1099,
                  "amount_refunded": 500,
                  "currency": "usd",
                  "customer": "cus_NffrFeUfNV2Hib",
                  "payment_intent": "pi_3MmlLrLkdIwHu7ix0uke3Ezy",
                  "refunded": false,
                  "status": "succeeded"
                },
                "previous_attributes": { "amount_refunded": 0 }
              },
              "type": "charge.refunded"
            }
            """);
        Assert.Equal(EventTypes.RefundProcessed, evt.Type);
        Assert.Equal("pi_3MmlLrLkdIwHu7ix0uke3Ezy", evt.Details.PaymentId);
        Assert.Equal("ch_3MmlLrLkdIwHu7ix0snN0B15", evt.Details.ObjectId);
        Assert.Equal(5.00m, evt.Details.Amount);
        Assert.True(evt.Details.AmountIsTotal);
        Assert.Equal(10.99m, evt.Details.PaymentAmount);
        Assert.Equal("usd", evt.Details.Currency);
    }

    [Fact]
    public void StripeCheckoutSessionCompleted_NormalisedToOrderCreated()
    {
        var evt = Read("""
            {
              "id": "evt_1Mq0cALkdIwHu7ixRsXzD9Yk",
              "object": "event",
              "created": 1679600000,
              "data": {
                "object": {
                  "id": "cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u",
                  "object": "checkout.session",
                  "amount_subtotal": 2198,
                  "amount_total": 2198,
                  "currency": "usd",
                  "customer": "cus_NffrFeUfNV2Hib",
                  "mode": "payment",
                  "payment_intent": "pi_3Mq0cALkdIwHu7ix1Ntk2Yfd",
                  "payment_status": "paid",
                  "status": "complete"
                }
              },
              "type": "checkout.session.completed"
            }
            """);
        Assert.Equal(EventTypes.OrderCreated, evt.Type);
        Assert.Equal("cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u", evt.Details.ObjectId);
        Assert.Equal(21.98m, evt.Details.Amount);
        Assert.Equal("usd", evt.Details.Currency);
        Assert.Equal("cus_NffrFeUfNV2Hib", evt.Details.CustomerId);
    }

    [Theory]
    [InlineData("customer.created")]
    [InlineData("customer.updated")]
    public void StripeCustomerEvent_NormalisedToCustomerUpdated(string type)
    {
        var evt = Read($$"""
            {
              "id": "evt_1NG8Du2eZvKYlo2CUI79vXWy",
              "object": "event",
              "created": 1686089970,
              "data": {
                "object": {
                  "id": "cus_NffrFeUfNV2Hib",
                  "object": "customer",
                  "email": "jennyrosen@example.com",
                  "name": "Jenny Rosen"
                }
              },
              "type": "{{type}}"
            }
            """);
        Assert.Equal(EventTypes.CustomerUpdated, evt.Type);
        Assert.Equal("cus_NffrFeUfNV2Hib", evt.Details.ObjectId);
        Assert.Equal("jennyrosen@example.com", evt.Details.Email);
        Assert.Equal("Jenny Rosen", evt.Details.Name);
    }

    [Fact]
    public void StripeUnmappedType_TypeIsNull() =>
        Assert.Null(Read("""{"id":"evt_1","type":"invoice.paid","data":{"object":{"id":"in_1","object":"invoice"}}}""").Type);

    [Fact]
    public void StripeBody_NotJson_ReturnsInvalid() =>
        Assert.NotNull(Normalise(Normaliser, Create(new ProviderOptions(), Utf8("not json"))).Error);

    [Fact]
    public void StripeBody_NoEventId_ReturnsInvalid() =>
        Assert.NotNull(Normalise(Normaliser, Create(new ProviderOptions(), Utf8("""{"type":"payment_intent.succeeded"}"""))).Error);

    [Theory]
    [InlineData(null, true)]
    [InlineData("application/json", true)]
    [InlineData("application/x-www-form-urlencoded", false)]
    [InlineData("text/plain", false)]
    public void StripeCanRead_JsonOrUnspecified(string? mediaType, bool expected) =>
        Assert.Equal(expected, Normaliser.CanRead(mediaType));
}
