using System.Net;
using System.Security.Cryptography;
using Orleans.Webhooks.Testing;
using static Orleans.Webhooks.EndToEnd.Tests.Providers.ProviderPayloads;

namespace Orleans.Webhooks.EndToEnd.Tests.Providers;

/// <summary>PayPal: its mapped types end to end, and its forged deliveries refused.</summary>
public sealed partial class ProviderEndToEndTests
{
    [Fact]
    public async Task PayPal_PaymentCaptureCompleted_CreatesCompletedPayment()
    {
        var (eventId, captureId, orderId) = (NewPayPalEventId(), NewPayPalId(), NewPayPalId());

        await AcceptedAsync(ProviderSigning.PayPal(PayPalCapture(eventId, "PAYMENT.CAPTURE.COMPLETED", captureId, "100.00", "USD", orderId), fixture.PayPalKey),
            "paypal", eventId);

        var stored = await ProcessedEventAsync("paypal", eventId);
        Assert.Equal("PAYMENT.CAPTURE.COMPLETED", Text(stored, "providerType"));
        var payment = await PaymentAsync("paypal", captureId);
        Assert.Equal("completed", Text(payment, "status"));
        Assert.Equal(100.00m, Decimal(payment, "amount"));
        Assert.Equal("USD", Text(payment, "currency"));
        Assert.Equal(orderId, Text(payment, "orderId"));
    }

    [Fact]
    public async Task PayPal_PaymentCaptureDenied_CreatesFailedPayment()
    {
        var (eventId, captureId) = (NewPayPalEventId(), NewPayPalId());

        await AcceptedAsync(ProviderSigning.PayPal(PayPalCapture(eventId, "PAYMENT.CAPTURE.DENIED", captureId, "6.00", "USD", NewPayPalId()), fixture.PayPalKey),
            "paypal", eventId);

        Assert.Equal("payment.failed", Text(await ProcessedEventAsync("paypal", eventId), "type"));
        var payment = await PaymentAsync("paypal", captureId);
        Assert.Equal("failed", Text(payment, "status"));
        Assert.Equal(6.00m, Decimal(payment, "amount"));
    }

    [Fact]
    public async Task PayPal_PaymentCaptureRefunded_AppliedToTheCaptureNamedByItsUpLink()
    {
        var (captured, refunded, captureId, refundId) = (NewPayPalEventId(), NewPayPalEventId(), NewPayPalId(), NewPayPalId());

        await AcceptedAsync(ProviderSigning.PayPal(PayPalCapture(captured, "PAYMENT.CAPTURE.COMPLETED", captureId, "100.00", "USD", NewPayPalId()), fixture.PayPalKey),
            "paypal", captured);
        await AcceptedAsync(ProviderSigning.PayPal(PayPalRefund(refunded, refundId, captureId, "30.50", "USD"), fixture.PayPalKey), "paypal", refunded);

        await ProcessedEventAsync("paypal", captured);
        Assert.Equal("refund.processed", Text(await ProcessedEventAsync("paypal", refunded), "type"));
        var payment = await PaymentAsync("paypal", captureId);
        Assert.Equal(30.50m, Decimal(payment, "refundedAmount"));
        Assert.Equal("partially_refunded", Text(payment, "status"));
        using var byRefundId = await Service.Http.GetAsync($"/api/payments/paypal/{refundId}");
        Assert.Equal(HttpStatusCode.NotFound, byRefundId.StatusCode);
    }

    [Fact]
    public async Task PayPal_CheckoutOrderApproved_CreatesOrder()
    {
        var (eventId, orderId, payerId) = (NewPayPalEventId(), NewPayPalId(), NewPayPalId()[..13]);

        await AcceptedAsync(ProviderSigning.PayPal(PayPalOrderApproved(eventId, orderId, "4999.81", "USD", payerId, "buyer@example.com"), fixture.PayPalKey),
            "paypal", eventId);

        Assert.Equal("order.created", Text(await ProcessedEventAsync("paypal", eventId), "type"));
        var order = await OrderAsync("paypal", orderId);
        Assert.Equal(4999.81m, Decimal(order, "total"));
        Assert.Equal("USD", Text(order, "currency"));
        Assert.Equal(payerId, Text(order, "customerId"));
    }

    [Fact]
    public async Task PayPal_SignedWithAnotherKey_Returns401AndStoresNothing()
    {
        var eventId = NewPayPalEventId();
        using var otherKey = RSA.Create(2048);

        await RefusedAsync(ProviderSigning.PayPal(PayPalCapture(eventId, "PAYMENT.CAPTURE.COMPLETED", NewPayPalId(), "100.00", "USD", NewPayPalId()), otherKey),
            "paypal", eventId);
    }

    [Fact]
    public async Task PayPal_CertificateFileGoneAfterStart_Returns503WithRetryAfterAndStoresNothing_ThenAcceptsOnceItIsBack()
    {
        var eventId = NewPayPalEventId();
        var body = PayPalCapture(eventId, "PAYMENT.CAPTURE.COMPLETED", NewPayPalId(), "12.00", "USD", NewPayPalId());
        var certificate = await File.ReadAllTextAsync(fixture.MovedCertificatePath);
        File.Delete(fixture.MovedCertificatePath);
        try
        {
            using var response = await Service.Http.SendAsync(ProviderSigning.PayPal(body, fixture.PayPalKey, provider: "paypal-moved"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("BEGIN CERTIFICATE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await TestDatabase.ScalarAsync<long>(Service.ConnectionString,
                "SELECT count(*) FROM webhook_events WHERE provider = 'paypal-moved' AND external_id = @x", ("x", eventId)));
        }
        finally
        {
            await File.WriteAllTextAsync(fixture.MovedCertificatePath, certificate);
        }

        // PayPal's retry, once the operator has put the file back.
        await AcceptedAsync(ProviderSigning.PayPal(body, fixture.PayPalKey, provider: "paypal-moved"), "paypal-moved", eventId);
    }

    [Fact]
    public async Task PayPal_SignedForAnotherWebhookId_Returns401AndStoresNothing()
    {
        var eventId = NewPayPalEventId();

        await RefusedAsync(ProviderSigning.PayPal(PayPalCapture(eventId, "PAYMENT.CAPTURE.COMPLETED", NewPayPalId(), "100.00", "USD", NewPayPalId()),
            fixture.PayPalKey, webhookId: "WH-SOMEONE-ELSE"), "paypal", eventId);
    }
}
