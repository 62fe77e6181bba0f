using System.Security.Cryptography;
using Orleans.Webhooks.WebApi.Providers;
using Orleans.Webhooks.WebApi.Signatures;
using static Orleans.Webhooks.WebApi.Tests.TestRequests;

namespace Orleans.Webhooks.WebApi.Tests.Signatures;

public sealed class ShopifySignatureVerifierTests
{
    private const string Secret = "shpss_client_secret";
    private static readonly byte[] Body = Utf8("""{"id":820982911946154508,"total_price":"199.00","currency":"USD"}""");

    private static string Sign(string secret, byte[] body) => Convert.ToBase64String(HMACSHA256.HashData(Utf8(secret), body));

    private static WebhookRequest Request(string? signature, byte[]? body = null, params string[] secrets) =>
        Create(new ProviderOptions { Secrets = secrets.Length == 0 ? [Secret] : [.. secrets] }, body ?? Body,
            signature is null ? null : new Dictionary<string, string> { ["X-Shopify-Hmac-Sha256"] = signature });

    [Fact]
    public void ShopifySignature_Valid_ReturnsValid() =>
        Assert.Equal(SignatureResult.Valid, ShopifySignatureVerifier.Verify(Request(Sign(Secret, Body))));

    [Fact]
    public void ShopifySignature_TamperedBody_ReturnsMismatch() =>
        Assert.Equal(SignatureResult.Mismatch, ShopifySignatureVerifier.Verify(Request(Sign(Secret, Body), Tampered(Body))));

    [Fact]
    public void ShopifySignature_WrongSecret_ReturnsMismatch() =>
        Assert.Equal(SignatureResult.Mismatch, ShopifySignatureVerifier.Verify(Request(Sign("other", Body))));

    [Fact]
    public void ShopifySignature_RotatedSecret_SecondSecretVerifies() =>
        Assert.Equal(SignatureResult.Valid, ShopifySignatureVerifier.Verify(Request(Sign("new", Body), null, "old", "new")));

    [Fact]
    public void ShopifySignature_MissingHeader_ReturnsMissingSignature() =>
        Assert.Equal(SignatureResult.MissingSignature, ShopifySignatureVerifier.Verify(Request(null)));

    [Fact]
    public void ShopifySignature_HexInsteadOfBase64_ReturnsMismatch() =>
        Assert.Equal(SignatureResult.Mismatch,
            ShopifySignatureVerifier.Verify(Request(Convert.ToHexStringLower(HMACSHA256.HashData(Utf8(Secret), Body)))));
}
