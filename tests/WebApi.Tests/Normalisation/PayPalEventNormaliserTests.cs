using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Normalisation;
using Orleans.Webhooks.WebApi.Providers;
using static Orleans.Webhooks.WebApi.Tests.TestRequests;

namespace Orleans.Webhooks.WebApi.Tests.Normalisation;

public sealed class PayPalEventNormaliserTests
{
    private static readonly PayPalEventNormaliser Normaliser = new();

    private static NormaliseResult Read(string json) => Normalise(Normaliser, Create(new ProviderOptions(), Utf8(json)));

    // Shaped like PayPal's documented webhook event samples (Webhooks event names, Payments v2).
    [Fact]
    public void PayPalCaptureCompleted_DecimalAmount_NormalisedToPaymentCompleted()
    {
        var evt = Read("""
            {
              "id": "WH-58D329510W468432D-8HN650336L201105X",
              "create_time": "2019-02-14T21:50:07.940Z",
              "resource_type": "capture",
              "event_type": "PAYMENT.CAPTURE.COMPLETED",
              "summary": "Payment completed for $ 10.99 USD",
              "resource": {
                "amount": { "currency_code": "USD", "value": "10.99" },
                "seller_protection": { "status": "ELIGIBLE", "dispute_categories": ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"] },
                "update_time": "2019-02-14T21:49:58Z",
                "create_time": "2019-02-14T21:49:58Z",
                "final_capture": true,
                "links": [
                  { "href": "https://api.paypal.com/v2/payments/captures/27M47624FP291604U", "rel": "self", "method": "GET" },
                  { "href": "https://api.paypal.com/v2/checkout/orders/1AB23456CD789012E", "rel": "up", "method": "GET" }
                ],
                "id": "27M47624FP291604U",
                "status": "COMPLETED",
                "supplementary_data": { "related_ids": { "order_id": "1AB23456CD789012E" } }
              },
              "event_version": "1.0",
              "resource_version": "2.0"
            }
            """).Event!;
        Assert.Equal("WH-58D329510W468432D-8HN650336L201105X", evt.ExternalId);
        Assert.Equal(EventTypes.PaymentCompleted, evt.Type);
        Assert.Equal("27M47624FP291604U", evt.Details.ObjectId);
        Assert.Equal(10.99m, evt.Details.Amount);
        Assert.Equal("USD", evt.Details.Currency);
        Assert.Equal("1AB23456CD789012E", evt.Details.OrderId);
        Assert.Null(evt.Details.PaymentId);
        Assert.Equal(new DateTimeOffset(2019, 2, 14, 21, 50, 7, 940, TimeSpan.Zero), evt.Details.OccurredAt);
    }

    [Fact]
    public void PayPalCaptureDenied_NormalisedToPaymentFailed() =>
        Assert.Equal(EventTypes.PaymentFailed, Read("""
            {"id":"WH-1","event_type":"PAYMENT.CAPTURE.DENIED","resource_type":"capture","resource":{"id":"7NW873794T343360M","amount":{"currency_code":"USD","value":"2.51"},"status":"DECLINED"}}
            """).Event!.Type);

    [Fact]
    public void PayPalCaptureRefunded_CaptureIdFromUpLink()
    {
        var evt = Read("""
            {
              "id": "WH-1GE84257G0350133W-6RW800890C634293G",
              "create_time": "2018-08-15T19:14:04.543Z",
              "resource_type": "refund",
              "event_type": "PAYMENT.CAPTURE.REFUNDED",
              "summary": "A $ 1.32 USD capture payment was refunded",
              "resource": {
                "seller_payable_breakdown": { "gross_amount": { "currency_code": "USD", "value": "1.32" } },
                "amount": { "currency_code": "USD", "value": "1.32" },
                "update_time": "2018-08-15T12:13:29-07:00",
                "create_time": "2018-08-15T12:13:29-07:00",
                "links": [
                  { "href": "https://api.paypal.com/v2/payments/refunds/1Y107995YT783435V", "rel": "self", "method": "GET" },
                  { "href": "https://api.paypal.com/v2/payments/captures/0KG12345PS1234567", "rel": "up", "method": "GET" }
                ],
                "id": "1Y107995YT783435V",
                "status": "COMPLETED"
              },
              "event_version": "1.0",
              "resource_version": "2.0"
            }
            """).Event!;
        Assert.Equal(EventTypes.RefundProcessed, evt.Type);
        Assert.Equal("1Y107995YT783435V", evt.Details.ObjectId);
        Assert.Equal("0KG12345PS1234567", evt.Details.PaymentId);
        Assert.Equal(1.32m, evt.Details.Amount);
        Assert.Equal("USD", evt.Details.Currency);
        Assert.False(evt.Details.AmountIsTotal);
    }

    [Fact]
    public void PayPalCheckoutOrderApproved_AmountFromFirstPurchaseUnit()
    {
        var evt = Read("""
            {
              "id": "WH-COC11055RA711503B-4YM959094A144403T",
              "create_time": "2018-04-16T21:21:49.000Z",
              "event_type": "CHECKOUT.ORDER.APPROVED",
              "resource_type": "checkout-order",
              "resource": {
                "id": "5O190127TN364715T",
                "intent": "CAPTURE",
                "status": "APPROVED",
                "payer": { "name": { "given_name": "John", "surname": "Doe" }, "email_address": "customer@example.com", "payer_id": "QYR5Z8XDVJNXQ" },
                "purchase_units": [ { "reference_id": "d9f80740-38f0-11e8-b467-0ed5f89f718b", "amount": { "currency_code": "USD", "value": "100.00" } } ],
                "create_time": "2018-04-01T21:18:49Z"
              }
            }
            """).Event!;
        Assert.Equal(EventTypes.OrderCreated, evt.Type);
        Assert.Equal("5O190127TN364715T", evt.Details.ObjectId);
        Assert.Equal(100.00m, evt.Details.Amount);
        Assert.Equal("USD", evt.Details.Currency);
        Assert.Equal("QYR5Z8XDVJNXQ", evt.Details.CustomerId);
    }

    [Fact]
    public void PayPalMissingEventId_ReturnsInvalid() =>
        Assert.NotNull(Read("""{"event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{}}""").Error);

    [Fact]
    public void PayPalBadJson_ReturnsInvalid() =>
        Assert.NotNull(Read("<xml/>").Error);
}
