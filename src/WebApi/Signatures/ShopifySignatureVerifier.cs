namespace Orleans.Webhooks.WebApi.Signatures;

/// <summary>Shopify: <c>X-Shopify-Hmac-Sha256: &lt;base64&gt;</c>, HMAC-SHA256 of the raw body with the app's client secret.</summary>
public sealed class ShopifySignatureVerifier : ISignatureVerifier
{
    public const string Header = "X-Shopify-Hmac-Sha256";

    public IReadOnlyList<string> SignatureHeaders(Providers.ProviderOptions options) => [Header];

    public ValueTask<SignatureResult> VerifyAsync(WebhookRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Verify(request));

    public static SignatureResult Verify(WebhookRequest request)
    {
        var signature = request.Header(Header)?.Trim();
        if (string.IsNullOrEmpty(signature))
        {
            return SignatureResult.MissingSignature;
        }
        return SignatureCompare.BodyHmacMatches(request, signature, base64: true) ? SignatureResult.Valid : SignatureResult.Mismatch;
    }
}
