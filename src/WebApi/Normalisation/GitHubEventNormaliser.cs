using System.Text;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>
/// GitHub: the delivery id is the <c>X-GitHub-Delivery</c> header, the type is <c>X-GitHub-Event</c> plus
/// <c>.{action}</c> when the body has one ("issues.opened"). The body is JSON, or a form whose <c>payload</c> field is
/// the JSON. No GitHub event is mapped by default, so they are stored as ignored until a mapping is configured.
/// </summary>
public sealed class GitHubEventNormaliser : IEventNormaliser
{
    public const string DeliveryHeader = "X-GitHub-Delivery";
    public const string EventHeader = "X-GitHub-Event";

    public IReadOnlyDictionary<string, string> DefaultEventTypes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public bool CanRead(string? mediaType) => MediaTypes.IsJsonOrUnspecified(mediaType) || MediaTypes.IsForm(mediaType);

    public NormaliseResult Normalise(WebhookRequest request, IEventTypeMap types)
    {
        if (request.Header(DeliveryHeader) is not { Length: > 0 } delivery)
        {
            return NormaliseResult.Invalid($"The {DeliveryHeader} header is missing.");
        }
        var json = request.Body;
        if (MediaTypes.IsForm(MediaTypes.Of(request.ContentType)))
        {
            if (FormBody.Parse(request.Body)["payload"] is not { } payload)
            {
                return NormaliseResult.Invalid("The form has no 'payload' field.");
            }
            json = Encoding.UTF8.GetBytes(payload);
        }
        if (Json.ParseObject(json) is not { } body)
        {
            return NormaliseResult.Invalid("The payload is not a JSON object.");
        }
        var gitHubEvent = request.Header(EventHeader);
        var action = body.String("action");
        var providerType = gitHubEvent is null ? null : action is null ? gitHubEvent : $"{gitHubEvent}.{action}";
        return new NormalisedEvent(delivery, providerType, types.Map(providerType), new EventDetails
        {
            ObjectId = body.String("repository", "full_name") ?? body.String("organization", "login") ?? body.String("sender", "login"),
        });
    }
}
