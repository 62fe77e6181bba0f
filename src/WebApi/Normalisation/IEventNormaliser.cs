using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>Reads one scheme's payload shape. Runs only on a body whose signature was verified.</summary>
public interface IEventNormaliser
{
    /// <summary>The scheme's own mapping from provider event types to internal types (configuration can override it).</summary>
    IReadOnlyDictionary<string, string> DefaultEventTypes { get; }

    /// <summary>False for a content type the scheme cannot read (415).</summary>
    bool CanRead(string? mediaType);

    NormaliseResult Normalise(WebhookRequest request, IEventTypeMap types);
}
