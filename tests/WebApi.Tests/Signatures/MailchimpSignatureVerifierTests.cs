using Orleans.Webhooks.WebApi.Normalisation;
using Orleans.Webhooks.WebApi.Providers;
using Orleans.Webhooks.WebApi.Signatures;
using static Orleans.Webhooks.WebApi.Tests.TestRequests;

namespace Orleans.Webhooks.WebApi.Tests.Signatures;

public sealed class MailchimpSignatureVerifierTests
{
    private static readonly byte[] Body = Utf8("type=subscribe&fired_at=2009-03-26+21%3A35%3A57&data%5Bid%5D=8a25ff1d98");

    private static WebhookRequest Request(string? query, params string[] secrets) =>
        Create(new ProviderOptions { Secrets = secrets.Length == 0 ? ["mc-secret"] : [.. secrets] }, Body, null, MediaTypes.Form, query);

    [Fact]
    public void MailchimpSignature_SecretInQuery_ReturnsValid() =>
        Assert.Equal(SignatureResult.Valid, MailchimpSignatureVerifier.Verify(Request("?secret=mc-secret")));

    [Fact]
    public void MailchimpSignature_WrongSecret_ReturnsMismatch() =>
        Assert.Equal(SignatureResult.Mismatch, MailchimpSignatureVerifier.Verify(Request("?secret=mc-secreT")));

    [Fact]
    public void MailchimpSignature_PrefixOfSecret_ReturnsMismatch() =>
        Assert.Equal(SignatureResult.Mismatch, MailchimpSignatureVerifier.Verify(Request("?secret=mc-")));

    [Fact]
    public void MailchimpSignature_RotatedSecret_SecondSecretVerifies() =>
        Assert.Equal(SignatureResult.Valid, MailchimpSignatureVerifier.Verify(Request("?secret=new", "old", "new")));

    [Fact]
    public void MailchimpSignature_MissingSecret_ReturnsMissingSignature() =>
        Assert.Equal(SignatureResult.MissingSignature, MailchimpSignatureVerifier.Verify(Request(null)));

    [Fact]
    public void MailchimpSignature_EmptySecret_ReturnsMissingSignature() =>
        Assert.Equal(SignatureResult.MissingSignature, MailchimpSignatureVerifier.Verify(Request("?secret=")));
}
