namespace Orleans.Webhooks.Grains.Interfaces.Configuration;

/// <summary>Every push destination, from <c>Webhooks:Destinations</c>, by name (case-insensitive, shown in lower case).</summary>
public sealed class DestinationsOptions
{
    public const string SectionName = "Webhooks:Destinations";

    public Dictionary<string, DestinationOptions> Destinations { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The destination's settings, or null when none is configured under that name.</summary>
    public DestinationOptions? Find(string name) => Destinations.GetValueOrDefault(name);

    /// <summary>The name a destination goes by in grain keys, the database and the management API.</summary>
    public static string Normalise(string name) => name.Trim().ToLowerInvariant();
}
