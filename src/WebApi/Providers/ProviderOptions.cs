namespace Orleans.Webhooks.WebApi.Providers;

/// <summary>One configured provider, <c>Webhooks:Providers:&lt;name&gt;</c>; its name is its URL segment.</summary>
public sealed class ProviderOptions
{
    public const int DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>stripe, github, shopify, paypal, mailchimp, standard-webhooks or hmac; defaults to the provider's name when that is a scheme.</summary>
    public string? Scheme { get; set; }

    /// <summary>Any one of these verifies a delivery, so a secret can be rotated without losing deliveries.</summary>
    public List<string> Secrets { get; set; } = [];

    /// <summary>Replay window for schemes that sign a timestamp, in both directions.</summary>
    public int ToleranceSeconds { get; set; } = 300;

    /// <summary>Larger bodies get 413; null means the scheme's default (1 MiB; github 25 MiB).</summary>
    public long? MaxBodyBytes { get; set; }

    /// <summary>Client networks (CIDR, or single addresses) a delivery may come from; empty lets any address in. Others get 403.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>Provider event type → internal type, over the scheme's defaults. An empty value unmaps a default.</summary>
    public Dictionary<string, string> EventTypes { get; set; } = new(StringComparer.Ordinal);

    // hmac only
    public string Header { get; set; } = "X-Webhook-Signature";
    public string Encoding { get; set; } = "hex";
    public string? Prefix { get; set; }
    public string IdHeader { get; set; } = "X-Webhook-Id";
    public string IdField { get; set; } = "id";
    public string TypeField { get; set; } = "type";

    // paypal only
    public string? WebhookId { get; set; }
    public string? CertificatePath { get; set; }

    public override string ToString() => $"{Scheme} provider"; // never the secrets
}
