using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Tests.Domain;

/// <summary>
/// One provider's ordinary three events (the order or checkout, its payment, a refund), with the details its normaliser
/// reads out of the real payloads (src/WebApi/Normalisation): which ids each names, and whether a refund's amount is a
/// running total. The order totals 80.00, the payment pays it, the refund gives back 30.00 unless told otherwise.
/// </summary>
public sealed class ProviderFlow
{
    public const decimal Total = 80m;

    public static readonly string[] Shapes = ["stripe", "shopify", "paypal-capture", "paypal-sale", "seed"];

    private readonly int _minute;

    private ProviderFlow(string shape, int minute)
    {
        Shape = shape;
        _minute = minute;
        (Order, Payment, Customer) = shape switch
        {
            "stripe" => (Events.NewId("cs_test"), Events.NewId("pi"), Events.NewId("cus")),
            // Shopify's payment is its order: orders/paid and refunds/create name the order's id.
            "shopify" => (Numeric(), "", Numeric()),
            "paypal-capture" => (Upper(), Upper(), Upper()),
            "paypal-sale" => ($"PAY-{Upper()}", Upper(), Upper()),
            _ => (Events.NewId("ord"), Events.NewId("pay"), Events.NewId("cus")),
        };
        if (shape == "shopify")
        {
            Payment = Order;
        }
    }

    public string Shape { get; }
    public string Order { get; }
    public string Payment { get; }
    public string Customer { get; }

    public static ProviderFlow New(string shape, int minute = 0) => new(shape, minute);

    private DateTimeOffset At(int minute) => Events.T0.AddMinutes(_minute + minute);

    private WebhookEvent Event(string type, EventDetails details, int minute) =>
        Events.Stored(Events.NewId("evt"), type, details with { OccurredAt = At(minute) }, receivedAt: At(minute));

    /// <summary>
    /// Stripe checkout.session.completed (names its payment_intent, payment_status paid); Shopify orders/create (pending);
    /// PayPal CHECKOUT.ORDER.APPROVED or, for sales, PAYMENTS.PAYMENT.CREATED (the v1 payment); seed order.created.
    /// </summary>
    public WebhookEvent OrderCreated() => Event(EventTypes.OrderCreated, Shape switch
    {
        "stripe" => new EventDetails { ObjectId = Order, PaymentId = Payment, Amount = Total, Currency = "usd", CustomerId = Customer, PaymentStatus = "paid" },
        "shopify" => new EventDetails { ObjectId = Order, Amount = Total, Currency = "USD", CustomerId = Customer, PaymentStatus = "pending" },
        "paypal-capture" or "paypal-sale" => new EventDetails { ObjectId = Order, Amount = Total, Currency = "USD", CustomerId = Customer },
        _ => new EventDetails { ObjectId = Order, Amount = Total, Currency = "usd", CustomerId = Customer },
    }, 0);

    /// <summary>
    /// Stripe payment_intent.succeeded (names no order); Shopify orders/paid (the order itself, paid); PayPal
    /// PAYMENT.CAPTURE.COMPLETED (order in supplementary_data) or PAYMENT.SALE.COMPLETED (parent_payment); seed with data.order.
    /// </summary>
    public WebhookEvent PaymentCompleted() => Event(EventTypes.PaymentCompleted, Shape switch
    {
        "stripe" => new EventDetails { ObjectId = Payment, Amount = Total, Currency = "usd", CustomerId = Customer },
        "shopify" => new EventDetails { ObjectId = Order, OrderId = Order, Amount = Total, Currency = "USD", CustomerId = Customer, PaymentStatus = "paid" },
        "paypal-capture" or "paypal-sale" => new EventDetails { ObjectId = Payment, Amount = Total, Currency = "USD", OrderId = Order },
        _ => new EventDetails { ObjectId = Payment, OrderId = Order, Amount = Total, Currency = "usd", CustomerId = Customer },
    }, 1);

    /// <summary>
    /// Stripe charge.refunded (names only the payment intent; amount_refunded is the running total <paramref name="total"/>);
    /// Shopify refunds/create (order_id); PayPal PAYMENT.CAPTURE.REFUNDED (only the capture, through its up link) or
    /// PAYMENT.SALE.REFUNDED (sale_id and parent_payment); seed refund.processed naming only data.payment.
    /// </summary>
    public WebhookEvent Refund(decimal amount, decimal total, int minute = 2) => Event(EventTypes.RefundProcessed, Shape switch
    {
        "stripe" => new EventDetails
        {
            ObjectId = Events.NewId("ch"), PaymentId = Payment, Amount = total, AmountIsTotal = true, PaymentAmount = Total, Currency = "usd", CustomerId = Customer,
        },
        "shopify" => new EventDetails { ObjectId = Numeric(), PaymentId = Order, OrderId = Order, Amount = amount, Currency = "USD" },
        "paypal-capture" => new EventDetails { ObjectId = Upper(), PaymentId = Payment, Amount = amount, Currency = "USD" },
        "paypal-sale" => new EventDetails { ObjectId = Upper(), PaymentId = Payment, OrderId = Order, Amount = amount, Currency = "USD" },
        _ => new EventDetails { ObjectId = Events.NewId("re"), PaymentId = Payment, Amount = amount, Currency = "usd", CustomerId = Customer },
    }, minute);

    public WebhookEvent Refund(decimal amount = 30m) => Refund(amount, amount);

    /// <summary>
    /// A dispute of the payment: Stripe charge.dispute.* (payment_intent), Shopify disputes/* (order_id), PayPal
    /// CUSTOMER.DISPUTE.* (the capture or sale as seller_transaction_id), seed (data.payment).
    /// </summary>
    public WebhookEvent Dispute(string disputeId, string? outcome, int minute, decimal amount = Total) =>
        Event(outcome is null ? EventTypes.DisputeOpened : EventTypes.DisputeClosed, new EventDetails
        {
            ObjectId = disputeId,
            PaymentId = Payment,
            OrderId = Shape == "shopify" ? Order : null,
            Amount = amount,
            Currency = Shape is "stripe" or "seed" ? "usd" : "USD",
            Outcome = outcome,
        }, minute);

    /// <summary>A refund reported before that failed (Stripe charge.refund.updated with status failed names the refund and its intent).</summary>
    public WebhookEvent RefundFailed(string refundId, decimal amount, int minute) =>
        Event(EventTypes.RefundFailed, new EventDetails { ObjectId = refundId, PaymentId = Payment, Amount = amount, Currency = "usd" }, minute);

    public IReadOnlyList<WebhookEvent> Three() => [OrderCreated(), PaymentCompleted(), Refund()];

    /// <summary>Replaces this flow's ids in a text, so the views of two flows can be compared.</summary>
    public string Anonymise(string text) =>
        text.Replace(Order, "ORDER", StringComparison.Ordinal).Replace(Payment, "PAYMENT", StringComparison.Ordinal).Replace(Customer, "CUSTOMER", StringComparison.Ordinal);

    public static IEnumerable<int[]> Permutations(int[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items[..i], .. items[(i + 1)..]]).Select(rest => (int[])[item, .. rest]));

    private static string Numeric() => Random.Shared.NextInt64(1_000_000_000_000, 9_000_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Upper() => Guid.NewGuid().ToString("N")[..17].ToUpperInvariant();
}
