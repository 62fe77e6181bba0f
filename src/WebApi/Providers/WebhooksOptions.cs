using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Orleans.Webhooks.WebApi.Providers;

/// <summary>The <c>Webhooks</c> configuration section of the web API.</summary>
public sealed class WebhooksOptions
{
    public const string SectionName = "Webhooks";

    public Dictionary<string, ProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When set, <c>/api/*</c> requires it in <c>X-Api-Key</c>; when not, <c>/api/*</c> answers loopback callers only.</summary>
    public string? ManagementApiKey { get; set; }

    /// <summary>
    /// Reverse proxies (addresses or CIDR ranges) whose <c>X-Forwarded-For</c> names the client. From anyone else the
    /// header is ignored for addressing, and the request is not a loopback caller's.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    [ValidateObjectMembers]
    public RateLimitOptions RateLimit { get; set; } = new();

    public sealed class RateLimitOptions
    {
        /// <summary>Deliveries per second per provider before 429; 0 turns the limit off.</summary>
        [Range(0, 1_000_000)]
        public int PermitsPerSecond { get; set; } = 1000;

        /// <summary>Deliveries per second per client address (after <see cref="TrustedProxies"/>) before 429; 0 (the default) turns it off.</summary>
        [Range(0, 1_000_000)]
        public int PerClientPermitsPerSecond { get; set; }
    }
}
