using System.Net;
using System.Security.Cryptography;
using Orleans.Webhooks.WebApi.Normalisation;
using Orleans.Webhooks.WebApi.Providers;
using Orleans.Webhooks.WebApi.Signatures;
using static Orleans.Webhooks.WebApi.Tests.TestRequests;

namespace Orleans.Webhooks.WebApi.Tests.Signatures;

public sealed class GitHubSignatureVerifierTests
{
    private const string Secret = "gh-secret";
    private static readonly byte[] Body = Utf8("""{"action":"opened","issue":{"number":1},"repository":{"full_name":"octo/hello"}}""");

    private static string Sign(string secret, byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Utf8(secret), body));

    private static WebhookRequest Request(string? signature, byte[]? body = null, string contentType = MediaTypes.Json, params string[] secrets) =>
        Create(new ProviderOptions { Secrets = secrets.Length == 0 ? [Secret] : [.. secrets] }, body ?? Body,
            signature is null ? null : new Dictionary<string, string> { ["X-Hub-Signature-256"] = signature }, contentType);

    [Fact]
    public void GitHubSignature_DocumentedExample_ReturnsValid()
    {
        // docs.github.com "Validating webhook deliveries": testing the webhook payload validation.
        var options = new ProviderOptions { Secrets = ["It's a Secret to Everybody"] };
        var request = Create(options, Utf8("Hello, World!"), new Dictionary<string, string>
        {
            ["X-Hub-Signature-256"] = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
        });
        Assert.Equal(SignatureResult.Valid, GitHubSignatureVerifier.Verify(request));
    }

    [Fact]
    public void GitHubSignature_Valid_ReturnsValid() =>
        Assert.Equal(SignatureResult.Valid, GitHubSignatureVerifier.Verify(Request(Sign(Secret, Body))));

    [Fact]
    public void GitHubSignature_FormBodyVerifiedOnRawBytes_ReturnsValid()
    {
        var form = Utf8("payload=" + WebUtility.UrlEncode("""{"zen":"Keep it logically awesome.","hook_id":1}"""));
        Assert.Equal(SignatureResult.Valid, GitHubSignatureVerifier.Verify(Request(Sign(Secret, form), form, MediaTypes.Form)));
    }

    [Fact]
    public void GitHubSignature_TamperedBody_ReturnsMismatch() =>
        Assert.Equal(SignatureResult.Mismatch, GitHubSignatureVerifier.Verify(Request(Sign(Secret, Body), Tampered(Body))));

    [Fact]
    public void GitHubSignature_WrongSecret_ReturnsMismatch() =>
        Assert.Equal(SignatureResult.Mismatch, GitHubSignatureVerifier.Verify(Request(Sign("other", Body))));

    [Fact]
    public void GitHubSignature_RotatedSecret_SecondSecretVerifies() =>
        Assert.Equal(SignatureResult.Valid, GitHubSignatureVerifier.Verify(Request(Sign("new", Body), null, MediaTypes.Json, "old", "new")));

    [Fact]
    public void GitHubSignature_MissingHeader_ReturnsMissingSignature() =>
        Assert.Equal(SignatureResult.MissingSignature, GitHubSignatureVerifier.Verify(Request(null)));

    [Fact]
    public void GitHubSignature_WithoutSha256Prefix_ReturnsMalformed() =>
        Assert.Equal(SignatureResult.Malformed, GitHubSignatureVerifier.Verify(Request(Sign(Secret, Body)["sha256=".Length..])));
}
