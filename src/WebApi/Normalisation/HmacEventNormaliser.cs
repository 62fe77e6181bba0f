using System.Security.Cryptography;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>
/// The seed format: <c>{"id":..., "type":..., "data":{"id":..., "amount":&lt;minor units&gt;, "currency":"usd",
/// "customer":"cus_1", "payment":"&lt;payment id, for refunds&gt;"}}</c>. The id comes from the <c>IdHeader</c> header,
/// else the <c>IdField</c> field, else the SHA-256 of the body.
/// </summary>
public sealed class HmacEventNormaliser : IEventNormaliser
{
    public IReadOnlyDictionary<string, string> DefaultEventTypes { get; } =
        EventTypes.All.ToDictionary(type => type, type => type, StringComparer.Ordinal);

    public bool CanRead(string? mediaType) => MediaTypes.IsJsonOrUnspecified(mediaType);

    public NormaliseResult Normalise(WebhookRequest request, IEventTypeMap types)
    {
        if (Json.ParseObject(request.Body) is not { } body)
        {
            return NormaliseResult.Invalid("The body is not a JSON object.");
        }
        var options = request.Options;
        var externalId = request.Header(options.IdHeader) is { Length: > 0 } fromHeader ? fromHeader
            : body.String(options.IdField) is { Length: > 0 } fromBody ? fromBody
            : Convert.ToHexStringLower(SHA256.HashData(request.Body.Span));
        var providerType = body.String(options.TypeField);
        var data = body.At("data") ?? body;
        var occurredAt = body.Time("created_at") ?? body.Time("created") ?? body.Time("timestamp") ?? body.Time("occurred_at");
        return new NormalisedEvent(externalId, providerType, types.Map(providerType), SeedFormat.Details(data, occurredAt));
    }
}
