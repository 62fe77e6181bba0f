using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Signatures;

/// <summary>
/// The configurable generic scheme: HMAC-SHA256 of the raw body in the provider's <c>Header</c>, hex or base64, after an
/// optional <c>Prefix</c> such as "sha256=".
/// </summary>
public sealed class HmacSignatureVerifier : ISignatureVerifier
{
    public ValueTask<SignatureResult> VerifyAsync(WebhookRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Verify(request));

    public static SignatureResult Verify(WebhookRequest request)
    {
        var options = request.Options;
        var signature = request.Header(options.Header)?.Trim();
        if (string.IsNullOrEmpty(signature))
        {
            return SignatureResult.MissingSignature;
        }
        if (!string.IsNullOrEmpty(options.Prefix))
        {
            if (!signature.StartsWith(options.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                return SignatureResult.Malformed;
            }
            signature = signature[options.Prefix.Length..];
        }
        else if (signature.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase))
        {
            signature = signature["sha256=".Length..]; // the common GitHub-style spelling, accepted when no prefix is configured
        }
        return SignatureCompare.BodyHmacMatches(request, signature, IsBase64(options)) ? SignatureResult.Valid : SignatureResult.Mismatch;
    }

    public IReadOnlyList<string> SignatureHeaders(ProviderOptions options) => [options.Header];

    private static bool IsBase64(ProviderOptions options) => string.Equals(options.Encoding, "base64", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<string> ValidateOptions(ProviderOptions options)
    {
        if (!string.Equals(options.Encoding, "hex", StringComparison.OrdinalIgnoreCase) && !IsBase64(options))
        {
            yield return "Encoding must be 'hex' or 'base64'";
        }
        if (string.IsNullOrWhiteSpace(options.Header))
        {
            yield return "Header must name the signature header";
        }
    }
}
