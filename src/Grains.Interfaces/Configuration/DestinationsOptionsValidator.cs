using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Domain;

namespace Orleans.Webhooks.Grains.Interfaces.Configuration;

/// <summary>
/// Stops the web API and the silo at start when a destination is misconfigured. Messages name the destination and the
/// key, never a secret, and never the URL (it may carry credentials).
/// </summary>
public sealed class DestinationsOptionsValidator : IValidateOptions<DestinationsOptions>
{
    private const string WhsecPrefix = "whsec_";

    /// <summary>Most changes in one POST: bounds a request's body and a receiver's transaction.</summary>
    public const int MaxBatch = 1000;

    /// <summary>The longest wait between attempts of a failing batch.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, DestinationsOptions options)
    {
        var failures = new List<string>();
        foreach (var (destination, settings) in options.Destinations)
        {
            var key = $"{DestinationsOptions.SectionName}:{destination}";
            failures.AddRange(Problems(destination, settings).Select(problem => $"{key}:{problem}"));
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Problems(string destination, DestinationOptions settings)
    {
        if (destination.Contains('/') || destination.Any(char.IsWhiteSpace))
        {
            yield return " a destination name cannot contain '/' or spaces.";
        }
        if (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return "Url: must be an absolute http or https URL.";
        }
        var format = settings.Format?.Trim().ToLowerInvariant();
        if (format is not (DestinationOptions.Hmac or DestinationOptions.StandardWebhooks))
        {
            yield return $"Format: unknown format (known: {DestinationOptions.Hmac}, {DestinationOptions.StandardWebhooks}).";
        }
        if (settings.Secrets.Count == 0 || settings.Secrets.Any(string.IsNullOrWhiteSpace))
        {
            yield return "Secrets: at least one non-empty secret is required.";
        }
        else if (format == DestinationOptions.StandardWebhooks)
        {
            for (var i = 0; i < settings.Secrets.Count; i++)
            {
                if (StandardWebhooksKey(settings.Secrets[i]) is null)
                {
                    yield return $"Secrets:{i}: a standard-webhooks secret is '{WhsecPrefix}' followed by base64.";
                }
            }
        }
        foreach (var kind in settings.Kinds.Where(k => !DomainKinds.All.Contains(k.Trim().ToLowerInvariant())))
        {
            yield return $"Kinds: unknown kind '{kind}' (known: {string.Join(", ", DomainKinds.All)}).";
        }
        if (settings.Timeout <= TimeSpan.Zero || settings.Timeout > TimeSpan.FromMinutes(5))
        {
            yield return "Timeout: must be more than 0 and at most 5 minutes.";
        }
        if (settings.RetryHorizon <= TimeSpan.Zero)
        {
            yield return "RetryHorizon: must be positive.";
        }
        if (settings.InitialBackoff <= TimeSpan.Zero || settings.MaxBackoff < settings.InitialBackoff)
        {
            yield return "InitialBackoff, MaxBackoff: the initial backoff must be positive and at most MaxBackoff.";
        }
        if (settings.MaxBackoff > MaxBackoff)
        {
            // The pump's retry pipeline (Polly) takes waits of at most a day.
            yield return "MaxBackoff: must be at most 1 day.";
        }
        if (settings.Concurrency is < 1 or > 256)
        {
            yield return "Concurrency: must be between 1 and 256.";
        }
        if (settings.Batch is < 1 or > MaxBatch)
        {
            yield return $"Batch: must be between 1 and {MaxBatch}.";
        }
        if (settings.ParkAfter < 1)
        {
            yield return "ParkAfter: must be at least 1.";
        }
    }

    /// <summary>The signing key of a standard-webhooks secret (<c>whsec_</c> + base64), or null when it is not one.</summary>
    public static byte[]? StandardWebhooksKey(string secret)
    {
        if (!secret.StartsWith(WhsecPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var encoded = secret[WhsecPrefix.Length..];
        var buffer = new byte[encoded.Length];
        return Convert.TryFromBase64String(encoded, buffer, out var length) && length > 0 ? buffer[..length] : null;
    }
}
