using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Signatures;

/// <summary>
/// GitHub: <c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c>, HMAC-SHA256 of the raw body, whether the body is JSON or a
/// form with a <c>payload=</c> field. The legacy SHA-1 <c>X-Hub-Signature</c> is not accepted.
/// </summary>
public sealed class GitHubSignatureVerifier : ISignatureVerifier
{
    public const string Header = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";

    /// <summary>The legacy SHA-1 header is listed too: its presence alone tells a sender that still signs with SHA-1.</summary>
    public IReadOnlyList<string> SignatureHeaders(ProviderOptions options) => [Header, "X-Hub-Signature"];

    public ValueTask<SignatureResult> VerifyAsync(WebhookRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Verify(request));

    public static SignatureResult Verify(WebhookRequest request)
    {
        var signature = request.Header(Header)?.Trim();
        if (string.IsNullOrEmpty(signature))
        {
            return SignatureResult.MissingSignature;
        }
        if (!signature.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return SignatureResult.Malformed;
        }
        return SignatureCompare.BodyHmacMatches(request, signature[Prefix.Length..], base64: false) ? SignatureResult.Valid : SignatureResult.Mismatch;
    }
}
