namespace Orleans.Webhooks.WebApi.Providers;

/// <summary>The <c>Webhooks</c> configuration section of the web API.</summary>
public sealed class WebhooksOptions
{
    public const string SectionName = "Webhooks";

    public Dictionary<string, ProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>When set, <c>/api/*</c> requires it in <c>X-Api-Key</c>; when not, <c>/api/*</c> answers loopback callers only.</summary>
    public string? ManagementApiKey { get; set; }

    public RateLimitOptions RateLimit { get; set; } = new();

    public sealed class RateLimitOptions
    {
        /// <summary>Deliveries per second per provider before 429; 0 turns the limit off.</summary>
        public int PermitsPerSecond { get; set; } = 1000;
    }
}
