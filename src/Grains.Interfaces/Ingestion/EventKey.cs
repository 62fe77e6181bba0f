namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>Event and domain grains are keyed "{provider}:{id}"; provider names never contain ':'.</summary>
public static class EventKey
{
    public static string Format(string provider, string id) => $"{provider}:{id}";

    public static (string Provider, string Id) Parse(string key)
    {
        var colon = key.IndexOf(':');
        return colon < 0 ? (key, "") : (key[..colon], key[(colon + 1)..]);
    }
}
