using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Processing;

namespace Orleans.Webhooks.Grains.Tests.Processing;

/// <summary>The objects an event names, as its <c>objects</c> list shows them, consistent with where it is routed.</summary>
public sealed class EventObjectsTests
{
    private static WebhookEvent Event(string? type, EventDetails details) => Events.Stored("evt_1", type!, details, provider: "stripe");

    [Fact]
    public void RefundNamingOnlyItsPayment_ListsThePaymentAndCustomer_NotTheRefundItself()
    {
        var refund = Event(EventTypes.RefundProcessed, new EventDetails { ObjectId = "ch_1", PaymentId = "pi_1", CustomerId = "cus_1", AmountIsTotal = true });

        Assert.Equal([Obj("payment", "stripe", "pi_1"), Obj("customer", "stripe", "cus_1")], EventObjects.Of(refund));
        Assert.Equal("pi_1", EventObjects.SubjectOf(refund));
    }

    [Fact]
    public void CheckoutSession_ListsThePaymentItNamesTheOrderAndTheCustomer()
    {
        var checkout = Event(EventTypes.OrderCreated, new EventDetails { ObjectId = "cs_1", PaymentId = "pi_1", CustomerId = "cus_1" });

        Assert.Equal(
            [Obj("payment", "stripe", "pi_1"), Obj("order", "stripe", "cs_1"), Obj("customer", "stripe", "cus_1")],
            EventObjects.Of(checkout));
        Assert.Equal("cs_1", EventObjects.SubjectOf(checkout));
    }

    [Theory]
    [InlineData(EventTypes.PaymentCompleted, "pay_1")]
    [InlineData(EventTypes.PaymentFailed, "pay_1")]
    [InlineData(EventTypes.DisputeOpened, "pay_2")]
    [InlineData(EventTypes.DisputeClosed, "pay_2")]
    [InlineData(EventTypes.RefundFailed, "pay_2")]
    public void PaymentEvents_ListTheirPaymentFirst_TheSubjectTheyAreRoutedBy(string type, string payment)
    {
        // A payment event's own id is the payment; a dispute's or a failed refund's is its own, and it names the payment.
        var evt = Event(type, new EventDetails { ObjectId = type.StartsWith("payment", StringComparison.Ordinal) ? "pay_1" : "dp_1", PaymentId = "pay_2", OrderId = "ord_1" });

        Assert.Equal([Obj("payment", "stripe", payment), Obj("order", "stripe", "ord_1")], EventObjects.Of(evt));
        Assert.Equal(payment, EventObjects.SubjectOf(evt));
    }

    [Fact]
    public void CustomerUpdated_ListsTheCustomer_UnroutedTypesListNothing()
    {
        Assert.Equal([Obj("customer", "stripe", "cus_1")], EventObjects.Of(Event(EventTypes.CustomerUpdated, new EventDetails { ObjectId = "cus_1" })));
        Assert.Empty(EventObjects.Of(Event("issues.opened", new EventDetails { ObjectId = "42", CustomerId = "cus_1" })));
        Assert.Empty(EventObjects.Of(Event(null, new EventDetails { ObjectId = "42" })));
        Assert.Null(EventObjects.SubjectOf(Event(null, new EventDetails { ObjectId = "42" })));
    }

    [Fact]
    public void EveryInternalType_HasOneRoute_ThatAppliesItToOneGrain()
    {
        Assert.Equal(EventTypes.All.Order(StringComparer.Ordinal), EventRoutes.Types.Order(StringComparer.Ordinal));
        foreach (var type in EventRoutes.Types)
        {
            var route = EventRoutes.Of(type)!;
            var applies = new object?[] { route.ApplyToPayment, route.ApplyToOrder, route.ApplyToCustomer };
            Assert.Single(applies, a => a is not null);
            Assert.Contains(route.Subject, DomainKinds.All);
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void AnEventNamingEveryId_ListsItsSubject_AsTheObjectOfTheSubjectsKind(string type)
    {
        var evt = Event(type, new EventDetails { ObjectId = "obj_1", PaymentId = "pay_1", OrderId = "ord_1", CustomerId = "cus_1" });

        var subject = EventObjects.SubjectOf(evt);

        Assert.NotNull(subject);
        Assert.Contains(Obj(EventRoutes.Of(type)!.Subject, "stripe", subject), EventObjects.Of(evt));
    }

    public static TheoryData<string> Types() => [.. EventTypes.All];

    private static EventObject Obj(string kind, string provider, string id) => new() { Kind = kind, Provider = provider, Id = id };
}
