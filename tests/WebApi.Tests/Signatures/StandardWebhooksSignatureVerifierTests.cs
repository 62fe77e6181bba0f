using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Orleans.Webhooks.WebApi.Providers;
using Orleans.Webhooks.WebApi.Signatures;
using static Orleans.Webhooks.WebApi.Tests.TestRequests;

namespace Orleans.Webhooks.WebApi.Tests.Signatures;

public sealed class StandardWebhooksSignatureVerifierTests
{
    // The specification's published test vector (standard-webhooks/standard-webhooks, libraries' tests).
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorPayload = """{"test": 2432232314}""";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static readonly string Secret = "whsec_" + Convert.ToBase64String(Utf8("a-32-byte-key-for-webhook-tests!"));
    private static readonly string OtherSecret = "whsec_" + Convert.ToBase64String(Utf8("another-key-used-after-rotation!"));
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly byte[] Body = Utf8("""{"type":"payment.completed","timestamp":"2023-11-14T22:13:20Z","data":{"id":"pay_1","amount":2000,"currency":"usd"}}""");
    private readonly FakeTimeProvider _time = new(Now);

    private static string Sign(string secret, string id, long timestamp, byte[] body)
    {
        Assert.True(StandardWebhooksSignatureVerifier.TryParseSecret(secret, out var key));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, (byte[])[.. Utf8($"{id}.{timestamp}."), .. body]));
    }

    private static WebhookRequest Request(
        string? signature, long timestamp, byte[]? body = null, string prefix = "webhook", string id = "msg_1", params string[] secrets)
    {
        var headers = new Dictionary<string, string> { [$"{prefix}-id"] = id, [$"{prefix}-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (signature is not null)
        {
            headers[$"{prefix}-signature"] = signature;
        }
        return Create(new ProviderOptions { Secrets = secrets.Length == 0 ? [Secret] : [.. secrets] }, body ?? Body, headers);
    }

    private SignatureResult Verify(WebhookRequest request) => StandardWebhooksSignatureVerifier.Verify(request, _time);

    /// <summary>The published vector's delivery, with the clock at its timestamp so that only the signature decides.</summary>
    private static SignatureResult VerifyVector(string id = VectorId, long timestamp = VectorTimestamp, string payload = VectorPayload)
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(timestamp));
        var request = Create(new ProviderOptions { Secrets = [VectorSecret] }, Utf8(payload), new Dictionary<string, string>
        {
            ["webhook-id"] = id,
            ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["webhook-signature"] = VectorSignature,
        });
        return StandardWebhooksSignatureVerifier.Verify(request, time);
    }

    [Fact]
    public void StandardWebhooksSignature_PublishedTestVector_ReturnsValid() =>
        Assert.Equal(SignatureResult.Valid, VerifyVector());

    /// <summary>The signed content is "id.timestamp.body": changing any one part of the vector breaks its signature.</summary>
    [Fact]
    public void StandardWebhooksSignature_PublishedTestVectorWithAnyPartChanged_ReturnsMismatch() =>
        Assert.Equal(
            [SignatureResult.Mismatch, SignatureResult.Mismatch, SignatureResult.Mismatch],
            [VerifyVector(id: VectorId + "x"), VerifyVector(timestamp: VectorTimestamp + 1), VerifyVector(payload: VectorPayload.Replace("2432232314", "2432232315", StringComparison.Ordinal))]);

    [Fact]
    public void StandardWebhooksSignature_Valid_ReturnsValid() =>
        Assert.Equal(SignatureResult.Valid, Verify(Request(Sign(Secret, "msg_1", Now.ToUnixTimeSeconds(), Body), Now.ToUnixTimeSeconds())));

    [Fact]
    public void StandardWebhooksSignature_SvixHeaders_ReturnsValid() =>
        Assert.Equal(SignatureResult.Valid, Verify(Request(Sign(Secret, "msg_1", Now.ToUnixTimeSeconds(), Body), Now.ToUnixTimeSeconds(), prefix: "svix")));

    [Fact]
    public void StandardWebhooksSignature_TamperedBody_ReturnsMismatch() =>
        Assert.Equal(SignatureResult.Mismatch, Verify(Request(Sign(Secret, "msg_1", Now.ToUnixTimeSeconds(), Body), Now.ToUnixTimeSeconds(), Tampered(Body))));

    [Fact]
    public void StandardWebhooksSignature_DifferentMessageId_ReturnsMismatch() =>
        Assert.Equal(SignatureResult.Mismatch, Verify(Request(Sign(Secret, "msg_1", Now.ToUnixTimeSeconds(), Body), Now.ToUnixTimeSeconds(), id: "msg_2")));

    [Fact]
    public void StandardWebhooksSignature_WrongSecret_ReturnsMismatch() =>
        Assert.Equal(SignatureResult.Mismatch, Verify(Request(Sign(OtherSecret, "msg_1", Now.ToUnixTimeSeconds(), Body), Now.ToUnixTimeSeconds())));

    [Fact]
    public void StandardWebhooksSignature_RotatedSecret_SecondSecretVerifies() =>
        Assert.Equal(SignatureResult.Valid,
            Verify(Request(Sign(OtherSecret, "msg_1", Now.ToUnixTimeSeconds(), Body), Now.ToUnixTimeSeconds(), secrets: [Secret, OtherSecret])));

    [Fact]
    public void StandardWebhooksSignature_SeveralSignaturesOneMatches_ReturnsValid()
    {
        var t = Now.ToUnixTimeSeconds();
        var header = $"v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,xyz {Sign(Secret, "msg_1", t, Body)}";
        Assert.Equal(SignatureResult.Valid, Verify(Request(header, t)));
    }

    [Fact]
    public void StandardWebhooksSignature_OnlyOtherVersions_ReturnsMalformed()
    {
        var t = Now.ToUnixTimeSeconds();
        Assert.Equal(SignatureResult.Malformed, Verify(Request("v1a," + Sign(Secret, "msg_1", t, Body)[3..], t)));
    }

    [Fact]
    public void StandardWebhooksSignature_MissingHeader_ReturnsMissingSignature() =>
        Assert.Equal(SignatureResult.MissingSignature, Verify(Request(null, Now.ToUnixTimeSeconds())));

    [Fact]
    public void StandardWebhooksSignature_TimestampOutsideTolerance_ReturnsOutsideTolerance()
    {
        var t = Now.ToUnixTimeSeconds() - 301;
        Assert.Equal(SignatureResult.OutsideTolerance, Verify(Request(Sign(Secret, "msg_1", t, Body), t)));
    }

    [Fact]
    public void StandardWebhooksSignature_TimestampInFuture_ReturnsOutsideTolerance()
    {
        var t = Now.ToUnixTimeSeconds() + 301;
        Assert.Equal(SignatureResult.OutsideTolerance, Verify(Request(Sign(Secret, "msg_1", t, Body), t)));
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("whsec_")]
    [InlineData("whsec_not base64!")]
    public void StandardWebhooksOptions_MalformedSecret_NamesIndexNotValue(string secret)
    {
        var verifier = new StandardWebhooksSignatureVerifier(TimeProvider.System);
        var problems = verifier.ValidateOptions(new ProviderOptions { Secrets = [VectorSecret, secret] }).ToList();
        var problem = Assert.Single(problems);
        Assert.Equal("Secrets:1: must be 'whsec_' followed by base64", problem);
    }

    [Fact]
    public void StandardWebhooksOptions_ValidSecrets_NoProblems() =>
        Assert.Empty(new StandardWebhooksSignatureVerifier(TimeProvider.System).ValidateOptions(new ProviderOptions { Secrets = [VectorSecret, Secret] }));
}
