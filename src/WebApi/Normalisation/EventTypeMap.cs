namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>The scheme's defaults overlaid with the provider's <c>EventTypes</c> configuration; an empty value unmaps a default.</summary>
public sealed class EventTypeMap(IReadOnlyDictionary<string, string> defaults, IReadOnlyDictionary<string, string> overrides) : IEventTypeMap
{
    public string? Map(string? providerType)
    {
        if (providerType is null)
        {
            return null;
        }
        if (overrides.TryGetValue(providerType, out var configured))
        {
            return string.IsNullOrWhiteSpace(configured) ? null : configured;
        }
        return defaults.TryGetValue(providerType, out var mapped) ? mapped : null;
    }
}
