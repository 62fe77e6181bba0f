using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Webhooks.WebApi.Normalisation;
using Orleans.Webhooks.WebApi.Providers;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Tests.Providers;

public sealed class WebhooksOptionsValidatorTests
{
    private static WebhooksOptionsValidator Validator() => new(
    [
        new WebhookScheme(SchemeNames.StandardWebhooks, new StandardWebhooksSignatureVerifier(TimeProvider.System), new StandardWebhooksEventNormaliser(), ProviderOptions.DefaultMaxBodyBytes),
        new WebhookScheme(SchemeNames.PayPal,
            new PayPalSignatureVerifier(new PayPalCertificateSource(new NoHttp(), NullLogger<PayPalCertificateSource>.Instance), TimeProvider.System),
            new PayPalEventNormaliser(), ProviderOptions.DefaultMaxBodyBytes),
    ]);

    [Fact]
    public void OptionsValidator_StandardWebhooksMalformedSecret_FailsNamingProviderAndKeyNotSecret()
    {
        const string malformed = "whsec_this is not base64 but a very secret value";
        var options = new WebhooksOptions();
        options.Providers["svix"] = new ProviderOptions { Scheme = SchemeNames.StandardWebhooks, Secrets = ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", malformed] };

        var result = Validator().Validate(null, options);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.Equal("Webhooks:Providers:svix: Secrets:1: must be 'whsec_' followed by base64", failure);
        Assert.DoesNotContain("very secret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsValidator_StandardWebhooksValidSecret_Succeeds()
    {
        var options = new WebhooksOptions();
        options.Providers["standard-webhooks"] = new ProviderOptions { Secrets = ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"] };
        Assert.True(Validator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void OptionsValidator_PayPalWithoutWebhookId_Fails()
    {
        var options = new WebhooksOptions();
        options.Providers["paypal"] = new ProviderOptions { Secrets = ["unused"] };
        var result = Validator().Validate(null, options);
        Assert.Contains("Webhooks:Providers:paypal: WebhookId: required for paypal", result.Failures!);
    }

    [Fact]
    public void OptionsValidator_PayPalWithWebhookIdAndNoSecrets_Succeeds()
    {
        // PayPal signs with its own certificate: a secret is not needed, unlike the HMAC schemes (next test).
        var options = new WebhooksOptions();
        options.Providers["paypal"] = new ProviderOptions { WebhookId = "WH-1", Secrets = [] };

        var result = Validator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void OptionsValidator_StandardWebhooksWithoutSecrets_FailsNamingTheKey()
    {
        var options = new WebhooksOptions();
        options.Providers["standard-webhooks"] = new ProviderOptions { Secrets = [] };

        var result = Validator().Validate(null, options);

        Assert.Equal(["Webhooks:Providers:standard-webhooks:Secrets: at least one non-empty secret is required."], result.Failures);
    }

    private sealed class NoHttp : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => throw new InvalidOperationException("No download expected.");
    }
}
