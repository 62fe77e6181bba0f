using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>
/// Standard Webhooks: the id is the <c>webhook-id</c> (or <c>svix-id</c>) header; the body is
/// <c>{"type":..., "timestamp":"&lt;ISO 8601&gt;", "data":{...}}</c>, with <c>data</c> read like the seed format
/// (<c>id</c>, <c>amount</c> in minor units, <c>currency</c>, <c>customer</c>, <c>payment</c> for refunds, <c>email</c>, <c>name</c>).
/// </summary>
public sealed class StandardWebhooksEventNormaliser : IEventNormaliser
{
    public IReadOnlyDictionary<string, string> DefaultEventTypes { get; } =
        EventTypes.All.ToDictionary(type => type, type => type, StringComparer.Ordinal);

    public bool CanRead(string? mediaType) => MediaTypes.IsJsonOrUnspecified(mediaType);

    public NormaliseResult Normalise(WebhookRequest request, IEventTypeMap types)
    {
        if (StandardWebhooksSignatureVerifier.MessageId(request) is not { Length: > 0 } id)
        {
            return NormaliseResult.Invalid("The webhook-id header is missing.");
        }
        if (Json.ParseObject(request.Body) is not { } body)
        {
            return NormaliseResult.Invalid("The body is not a JSON object.");
        }
        var providerType = body.String("type");
        var data = body.At("data") ?? body;
        return new NormalisedEvent(id, providerType, types.Map(providerType), SeedFormat.Details(data, body.Time("timestamp")));
    }
}
