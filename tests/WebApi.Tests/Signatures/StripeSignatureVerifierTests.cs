using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Orleans.Webhooks.WebApi.Providers;
using Orleans.Webhooks.WebApi.Signatures;
using static Orleans.Webhooks.WebApi.Tests.TestRequests;

namespace Orleans.Webhooks.WebApi.Tests.Signatures;

public sealed class StripeSignatureVerifierTests
{
    private const string Secret = "whsec_test_secret_for_stripe";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly byte[] Body = Utf8("""{"id":"evt_1","object":"event","type":"payment_intent.succeeded"}""");
    private readonly FakeTimeProvider _time = new(Now);

    /// <summary>What Stripe's libraries compute: hex HMAC-SHA256 of "{t}.{body}" keyed with the whole secret string.</summary>
    private static string V1(string secret, long timestamp, byte[] body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Utf8(secret), (byte[])[.. Utf8($"{timestamp}."), .. body]));

    private static WebhookRequest Request(string? header, byte[]? body = null, params string[] secrets) =>
        Create(new ProviderOptions { Secrets = secrets.Length == 0 ? [Secret] : [.. secrets] }, body ?? Body,
            header is null ? null : new Dictionary<string, string> { ["Stripe-Signature"] = header });

    private static string Header(long timestamp, string secret = Secret) => $"t={timestamp},v1={V1(secret, timestamp, Body)}";

    [Fact]
    public void StripeSignature_Valid_ReturnsValid() =>
        Assert.Equal(SignatureResult.Valid, StripeSignatureVerifier.Verify(Request(Header(Now.ToUnixTimeSeconds())), _time));

    [Fact]
    public void StripeSignature_TamperedBody_ReturnsMismatch() =>
        Assert.Equal(SignatureResult.Mismatch, StripeSignatureVerifier.Verify(Request(Header(Now.ToUnixTimeSeconds()), Tampered(Body)), _time));

    [Fact]
    public void StripeSignature_WrongSecret_ReturnsMismatch() =>
        Assert.Equal(SignatureResult.Mismatch, StripeSignatureVerifier.Verify(Request(Header(Now.ToUnixTimeSeconds(), "whsec_other")), _time));

    [Fact]
    public void StripeSignature_SecretWithoutPrefix_ReturnsMismatch() =>
        Assert.Equal(SignatureResult.Mismatch, StripeSignatureVerifier.Verify(Request(Header(Now.ToUnixTimeSeconds(), Secret["whsec_".Length..])), _time));

    [Fact]
    public void StripeSignature_RotatedSecret_SecondSecretVerifies() =>
        Assert.Equal(SignatureResult.Valid,
            StripeSignatureVerifier.Verify(Request(Header(Now.ToUnixTimeSeconds(), "whsec_new"), null, "whsec_old", "whsec_new"), _time));

    [Fact]
    public void StripeSignature_MissingHeader_ReturnsMissingSignature() =>
        Assert.Equal(SignatureResult.MissingSignature, StripeSignatureVerifier.Verify(Request(null), _time));

    [Fact]
    public void StripeSignature_TimestampOutsideTolerance_ReturnsOutsideTolerance() =>
        Assert.Equal(SignatureResult.OutsideTolerance, StripeSignatureVerifier.Verify(Request(Header(Now.ToUnixTimeSeconds() - 301)), _time));

    [Fact]
    public void StripeSignature_TimestampInFuture_ReturnsOutsideTolerance() =>
        Assert.Equal(SignatureResult.OutsideTolerance, StripeSignatureVerifier.Verify(Request(Header(Now.ToUnixTimeSeconds() + 301)), _time));

    [Fact]
    public void StripeSignature_TimestampAtEdgeOfTolerance_ReturnsValid() =>
        Assert.Equal(SignatureResult.Valid, StripeSignatureVerifier.Verify(Request(Header(Now.ToUnixTimeSeconds() - 300)), _time));

    [Fact]
    public void StripeSignature_TwoV1ValuesOnlySecondMatches_ReturnsValid()
    {
        var t = Now.ToUnixTimeSeconds();
        var header = $"t={t},v1={V1("whsec_retired", t, Body)},v1={V1(Secret, t, Body)},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39";
        Assert.Equal(SignatureResult.Valid, StripeSignatureVerifier.Verify(Request(header), _time));
    }

    [Fact]
    public void StripeSignature_OnlyV0Scheme_ReturnsMalformed()
    {
        var t = Now.ToUnixTimeSeconds();
        Assert.Equal(SignatureResult.Malformed, StripeSignatureVerifier.Verify(Request($"t={t},v0={V1(Secret, t, Body)}"), _time));
    }

    [Fact]
    public void StripeSignature_TimestampNotSigned_ReturnsMismatch()
    {
        // The signature of the same body under another timestamp must not verify: the timestamp is part of the signed payload.
        var t = Now.ToUnixTimeSeconds();
        Assert.Equal(SignatureResult.Mismatch, StripeSignatureVerifier.Verify(Request($"t={t},v1={V1(Secret, t - 10, Body)}"), _time));
    }

    [Fact]
    public void StripeSignature_ToleranceFromOptions_IsUsed()
    {
        var t = Now.ToUnixTimeSeconds() - 100;
        var options = new ProviderOptions { Secrets = [Secret], ToleranceSeconds = 60 };
        var request = Create(options, Body, new Dictionary<string, string> { ["Stripe-Signature"] = Header(t) });
        Assert.Equal(SignatureResult.OutsideTolerance, StripeSignatureVerifier.Verify(request, _time));
    }
}
