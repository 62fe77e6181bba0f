using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.WebApi.Network;
using Orleans.Webhooks.WebApi.Normalisation;

namespace Orleans.Webhooks.WebApi.Providers;

/// <summary>A configured provider resolved to its scheme. Reads the options through a monitor so that secrets can rotate without a restart.</summary>
public sealed class ProviderRegistry(IOptionsMonitor<WebhooksOptions> options, IEnumerable<WebhookScheme> schemes)
{
    private readonly Dictionary<string, WebhookScheme> _schemes = schemes.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);

    public bool TryGet(string provider, out ResolvedProvider resolved)
    {
        resolved = default!;
        if (!options.CurrentValue.Providers.TryGetValue(provider, out var settings)
            || !_schemes.TryGetValue(SchemeOf(provider, settings), out var scheme))
        {
            return false;
        }
        resolved = new ResolvedProvider(
            provider.ToLowerInvariant(),
            settings,
            scheme,
            new EventTypeMap(scheme.Normaliser.DefaultEventTypes, settings.EventTypes));
        return true;
    }

    public static string SchemeOf(string provider, ProviderOptions settings) =>
        string.IsNullOrWhiteSpace(settings.Scheme) ? provider : settings.Scheme.Trim();
}

public sealed record ResolvedProvider(string Name, ProviderOptions Options, WebhookScheme Scheme, IEventTypeMap EventTypes)
{
    /// <summary>Parsed once per options instance (a reload makes a new one).</summary>
    private static readonly ConditionalWeakTable<ProviderOptions, IPNetwork[]> AllowedNetworks = [];

    public long MaxBodyBytes => Options.MaxBodyBytes ?? Scheme.DefaultMaxBodyBytes;

    /// <summary>True when the provider has no <c>AllowedNetworks</c>, or the client address is in one of them.</summary>
    public bool AllowsClient(IPAddress? client) =>
        Options.AllowedNetworks.Count == 0
        || NetworkList.Contains(AllowedNetworks.GetValue(Options, options => NetworkList.Parse(options.AllowedNetworks)), client);
}
