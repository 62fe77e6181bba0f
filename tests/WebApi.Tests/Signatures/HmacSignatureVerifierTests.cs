using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Orleans.Webhooks.WebApi.Providers;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Tests.Signatures;

public sealed class HmacSignatureVerifierTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"evt_1","type":"payment.completed"}""");

    private static WebhookRequest Request(ProviderOptions options, string? signature)
    {
        var headers = new HeaderDictionary();
        if (signature is not null)
        {
            headers[options.Header] = signature;
        }
        return new WebhookRequest("hmac", options, headers, new QueryCollection(), "application/json", Body);
    }

    private static string Hex(string secret, byte[] body) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    [Fact]
    public void HmacSignature_Valid_ReturnsValid() =>
        Assert.Equal(SignatureResult.Valid, HmacSignatureVerifier.Verify(Request(new ProviderOptions { Secrets = ["s1"] }, Hex("s1", Body))));

    [Fact]
    public void HmacSignature_RotatedSecret_SecondSecretVerifies() =>
        Assert.Equal(SignatureResult.Valid, HmacSignatureVerifier.Verify(Request(new ProviderOptions { Secrets = ["old", "new"] }, Hex("new", Body))));

    [Fact]
    public void HmacSignature_WrongSecret_ReturnsMismatch() =>
        Assert.Equal(SignatureResult.Mismatch, HmacSignatureVerifier.Verify(Request(new ProviderOptions { Secrets = ["s1"] }, Hex("other", Body))));

    [Fact]
    public void HmacSignature_TamperedBody_ReturnsMismatch()
    {
        var tampered = (byte[])Body.Clone();
        tampered[^2] ^= 1;
        Assert.Equal(SignatureResult.Mismatch, HmacSignatureVerifier.Verify(Request(new ProviderOptions { Secrets = ["s1"] }, Hex("s1", tampered))));
    }

    [Fact]
    public void HmacSignature_MissingHeader_ReturnsMissingSignature() =>
        Assert.Equal(SignatureResult.MissingSignature, HmacSignatureVerifier.Verify(Request(new ProviderOptions { Secrets = ["s1"] }, null)));

    [Fact]
    public void HmacSignature_Base64WithPrefix_Verifies()
    {
        var options = new ProviderOptions { Secrets = ["s1"], Encoding = "base64", Prefix = "v1=", Header = "X-Sig" };
        var signature = "v1=" + Convert.ToBase64String(HMACSHA256.HashData("s1"u8.ToArray(), Body));
        Assert.Equal(SignatureResult.Valid, HmacSignatureVerifier.Verify(Request(options, signature)));
        Assert.Equal(SignatureResult.Malformed, HmacSignatureVerifier.Verify(Request(options, signature[3..])));
    }
}
