using Orleans.Webhooks.Grains.Interfaces.Domain;

namespace Orleans.Webhooks.Grains.Interfaces.Configuration;

/// <summary>One push destination, <c>Webhooks:Destinations:&lt;name&gt;</c>: where changes are POSTed and how they are signed.</summary>
public sealed class DestinationOptions
{
    public const string Hmac = "hmac";
    public const string StandardWebhooks = "standard-webhooks";

    /// <summary>Absolute http(s) URL that receives the POSTs.</summary>
    public string? Url { get; set; }

    /// <summary>The first signs; the rest are kept so a receiver can rotate without a gap.</summary>
    public List<string> Secrets { get; set; } = [];

    /// <summary><see cref="Hmac"/> (default) or <see cref="StandardWebhooks"/>.</summary>
    public string Format { get; set; } = Hmac;

    /// <summary>Of <see cref="DomainKinds.All"/>; empty means all.</summary>
    public List<string> Kinds { get; set; } = [];

    /// <summary>Per request: no answer within it counts as a failure.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one change may keep failing before the destination is paused.</summary>
    public TimeSpan RetryHorizon { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Wait before the second attempt of a failing change; it doubles (with jitter) up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Objects delivered at once; one object's changes always go one after the other, in change order. The default keeps
    /// a prompt receiver up to date while a silo runs at full load (each POST then waits its turn for CPU, and fewer in
    /// flight left the push seconds behind); a receiver with few workers, such as a small Odoo, may want less.
    /// </summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>
    /// Most changes in one POST. 1 sends each change by itself; above 1, every POST carries
    /// <c>{"changes":[...]}</c> in change order (contract, section 6). A batch goes as soon as a lane is free, with what
    /// is waiting then: at low rates a batch holds one change and adds no latency; under load batches fill. Receivers
    /// that pay per request (Odoo: a worker and a transaction each) want 100.
    /// </summary>
    public int Batch { get; set; } = 1;

    /// <summary>
    /// Attempts after which a change that keeps failing, while other changes to this destination are delivered, is
    /// parked: set aside for an operator to retry or skip, so that the rest goes on.
    /// </summary>
    public int ParkAfter { get; set; } = 10;

    /// <summary>True when POSTs carry the batch body, whatever their number of changes.</summary>
    public bool Batched => Batch > 1;

    /// <summary>The kinds this destination receives, lower case.</summary>
    public IReadOnlyList<string> EffectiveKinds =>
        Kinds.Count == 0 ? DomainKinds.All : Kinds.Select(k => k.Trim().ToLowerInvariant()).Distinct().ToArray();

    /// <summary>The URL as it may be shown: no user name, password or query string, which can carry credentials.</summary>
    public string? DisplayUrl =>
        Uri.TryCreate(Url, UriKind.Absolute, out var uri) ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : null;

    public override string ToString() => $"{Format} destination"; // never the secrets
}
