using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orleans.Webhooks.EndToEnd.Tests.Providers;

/// <summary>
/// One silo and the web API with every provider scheme configured through environment variables, as an operator would:
/// stripe (plus a configured invoice.paid mapping), a second Stripe instance stripe-eu, github, shopify,
/// standard-webhooks, paypal (with a certificate generated here, whose key signs the deliveries) and mailchimp; and
/// paypal-moved, a second PayPal instance whose certificate file a test takes away while the service runs.
/// </summary>
public sealed class ProviderFixture : IAsyncLifetime
{
    public const string StripeSecret = "whsec_e2e_stripe";
    public const string StripeEuSecret = "whsec_e2e_stripe_eu";
    public const string GitHubSecret = "e2e-github-secret";
    public const string ShopifySecret = "e2e-shopify-secret";
    public const string MailchimpSecret = "e2e-mailchimp-secret";
    public const string PayPalWebhookId = "WH-E2E";

    private readonly string _certificatePath = Path.Combine(Path.GetTempPath(), $"webhooks-e2e-paypal-{Guid.NewGuid():N}.pem");

    /// <summary>The certificate file of the paypal-moved provider (the same certificate as paypal's).</summary>
    public string MovedCertificatePath { get; } = Path.Combine(Path.GetTempPath(), $"webhooks-e2e-paypal-moved-{Guid.NewGuid():N}.pem");

    public Service Service { get; private set; } = null!;

    /// <summary>"whsec_" followed by the base64 of 24 random bytes, the form Standard Webhooks secrets take.</summary>
    public string StandardWebhooksSecret { get; } = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    /// <summary>The private key of the certificate the paypal provider reads from its CertificatePath.</summary>
    public RSA PayPalKey { get; } = RSA.Create(2048);

    public async Task InitializeAsync()
    {
        var now = DateTimeOffset.UtcNow;
        using (var certificate = new CertificateRequest("CN=messageverificationcerts.paypal.com", PayPalKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(now.AddDays(-1), now.AddDays(30)))
        {
            await File.WriteAllTextAsync(_certificatePath, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(MovedCertificatePath, certificate.ExportCertificatePem());
        }

        Service = await Service.StartAsync("webhooks_test_providers", 5911, environment: new Dictionary<string, string>
        {
            ["Webhooks__Providers__stripe__Secrets__0"] = StripeSecret,
            ["Webhooks__Providers__stripe__EventTypes__invoice.paid"] = "payment.completed",
            ["Webhooks__Providers__stripe-eu__Scheme"] = "stripe",
            ["Webhooks__Providers__stripe-eu__Secrets__0"] = StripeEuSecret,
            ["Webhooks__Providers__github__Secrets__0"] = GitHubSecret,
            ["Webhooks__Providers__shopify__Secrets__0"] = ShopifySecret,
            ["Webhooks__Providers__standard-webhooks__Secrets__0"] = StandardWebhooksSecret,
            ["Webhooks__Providers__paypal__WebhookId"] = PayPalWebhookId,
            ["Webhooks__Providers__paypal__CertificatePath"] = _certificatePath,
            ["Webhooks__Providers__paypal-moved__Scheme"] = "paypal",
            ["Webhooks__Providers__paypal-moved__WebhookId"] = PayPalWebhookId,
            ["Webhooks__Providers__paypal-moved__CertificatePath"] = MovedCertificatePath,
            ["Webhooks__Providers__mailchimp__Secrets__0"] = MailchimpSecret,
        });
    }

    public async Task DisposeAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }
        PayPalKey.Dispose();
        File.Delete(_certificatePath);
        File.Delete(MovedCertificatePath);
    }
}

[CollectionDefinition(Name)]
public sealed class ProviderCollection : ICollectionFixture<ProviderFixture>
{
    public const string Name = "providers";
}
