using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Normalisation;
using Orleans.Webhooks.WebApi.Providers;
using static Orleans.Webhooks.WebApi.Tests.TestRequests;

namespace Orleans.Webhooks.WebApi.Tests.Normalisation;

public sealed class StandardWebhooksEventNormaliserTests
{
    private static readonly StandardWebhooksEventNormaliser Normaliser = new();

    private static NormaliseResult Read(string json, string idHeader = "webhook-id") =>
        Normalise(Normaliser, Create(new ProviderOptions(), Utf8(json), new Dictionary<string, string>
        {
            [idHeader] = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W",
            [idHeader.Replace("-id", "-timestamp", StringComparison.Ordinal)] = "1674087231",
            [idHeader.Replace("-id", "-signature", StringComparison.Ordinal)] = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
        }));

    [Fact]
    public void StandardWebhooksPayment_SeedStyleData_NormalisedWithIdentityMapping()
    {
        var evt = Read("""
            {"type":"payment.completed","timestamp":"2022-11-03T20:26:10.344522Z","data":{"id":"pay_1","amount":2000,"currency":"usd","customer":"cus_1"}}
            """).Event!;
        Assert.Equal("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", evt.ExternalId);
        Assert.Equal(EventTypes.PaymentCompleted, evt.Type);
        Assert.Equal("pay_1", evt.Details.ObjectId);
        Assert.Equal(20.00m, evt.Details.Amount);
        Assert.Equal("cus_1", evt.Details.CustomerId);
        Assert.Equal(new DateTimeOffset(2022, 11, 3, 20, 26, 10, 344, TimeSpan.Zero).AddTicks(5220), evt.Details.OccurredAt);
    }

    [Fact]
    public void StandardWebhooksRefund_SvixIdHeader_PaymentFromData()
    {
        var evt = Read("""{"type":"refund.processed","timestamp":"2022-11-03T20:26:10Z","data":{"id":"re_1","payment":"pay_1","amount":500,"currency":"jpy"}}""", "svix-id").Event!;
        Assert.Equal("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", evt.ExternalId);
        Assert.Equal(EventTypes.RefundProcessed, evt.Type);
        Assert.Equal("pay_1", evt.Details.PaymentId);
        Assert.Equal(500m, evt.Details.Amount);
    }

    [Fact]
    public void StandardWebhooksCustomer_EmailAndName()
    {
        var evt = Read("""{"type":"customer.updated","timestamp":"2022-11-03T20:26:10Z","data":{"id":"cus_1","email":"a@example.com","name":"Ada"}}""").Event!;
        Assert.Equal(("cus_1", "a@example.com", "Ada"), (evt.Details.ObjectId, evt.Details.Email, evt.Details.Name));
    }

    [Fact]
    public void StandardWebhooksUnknownType_Unmapped() =>
        Assert.Null(Read("""{"type":"user.created","timestamp":"2022-11-03T20:26:10Z","data":{}}""").Event!.Type);

    [Fact]
    public void StandardWebhooksMissingIdHeader_ReturnsInvalid() =>
        Assert.NotNull(Normalise(Normaliser, Create(new ProviderOptions(), Utf8("""{"type":"payment.completed"}"""))).Error);

    [Fact]
    public void StandardWebhooksBadJson_ReturnsInvalid() =>
        Assert.NotNull(Read("nope").Error);
}
