using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Signatures;

/// <summary>Checks one scheme's signature over the raw body with any of the provider's secrets, in constant time.</summary>
public interface ISignatureVerifier
{
    ValueTask<SignatureResult> VerifyAsync(WebhookRequest request, CancellationToken cancellationToken);

    /// <summary>False for schemes without a shared secret (PayPal signs with a certificate): <c>Secrets</c> may then be empty.</summary>
    bool RequiresSecrets => true;

    /// <summary>
    /// The headers that carry this scheme's signature (a name starting with '?' is a query key): the audit of a rejected
    /// delivery lists which of them were present, never their values.
    /// </summary>
    IReadOnlyList<string> SignatureHeaders(ProviderOptions options);

    /// <summary>Problems with a provider's settings for this scheme (checked at start), naming keys, never secret values.</summary>
    IEnumerable<string> ValidateOptions(ProviderOptions options) => [];
}
