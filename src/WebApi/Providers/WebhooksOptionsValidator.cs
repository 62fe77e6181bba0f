using Microsoft.Extensions.Options;
using Orleans.Webhooks.WebApi.Network;

namespace Orleans.Webhooks.WebApi.Providers;

/// <summary>
/// Stops the process at start when a provider is misconfigured. Messages name the provider and the key, never a secret.
/// </summary>
public sealed class WebhooksOptionsValidator(IEnumerable<WebhookScheme> schemes) : IValidateOptions<WebhooksOptions>
{
    private readonly Dictionary<string, WebhookScheme> _schemes = schemes.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);

    public ValidateOptionsResult Validate(string? name, WebhooksOptions options)
    {
        var failures = new List<string>();
        foreach (var (provider, settings) in options.Providers)
        {
            var key = $"{WebhooksOptions.SectionName}:Providers:{provider}";
            if (provider.Contains(':') || provider.Contains('/'))
            {
                failures.Add($"{key}: a provider name cannot contain ':' or '/'.");
            }
            var schemeName = ProviderRegistry.SchemeOf(provider, settings);
            if (!_schemes.TryGetValue(schemeName, out var scheme))
            {
                failures.Add($"{key}:Scheme: unknown scheme '{schemeName}' (known: {string.Join(", ", _schemes.Keys.Order())}).");
                continue;
            }
            if (scheme.Verifier.RequiresSecrets && (settings.Secrets.Count == 0 || settings.Secrets.Any(string.IsNullOrWhiteSpace)))
            {
                failures.Add($"{key}:Secrets: at least one non-empty secret is required.");
            }
            if (settings.ToleranceSeconds is < 1 or > 86_400)
            {
                failures.Add($"{key}:ToleranceSeconds: must be between 1 and 86400.");
            }
            if (settings.MaxBodyBytes is < 1)
            {
                failures.Add($"{key}:MaxBodyBytes: must be positive.");
            }
            failures.AddRange(scheme.Verifier.ValidateOptions(settings).Select(problem => $"{key}: {problem}"));
            failures.AddRange(NetworkList.Problems($"{key}:AllowedNetworks", settings.AllowedNetworks));
        }
        failures.AddRange(NetworkList.Problems($"{WebhooksOptions.SectionName}:TrustedProxies", options.TrustedProxies));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
