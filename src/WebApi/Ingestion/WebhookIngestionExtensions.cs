using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.WebApi.Normalisation;
using Orleans.Webhooks.WebApi.Providers;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Ingestion;

public static class WebhookIngestionExtensions
{
    public const long GitHubMaxBodyBytes = 25L * 1024 * 1024;

    /// <summary>Provider configuration (validated at start), the schemes, and the rate limits.</summary>
    public static IHostApplicationBuilder AddWebhookIngestion(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebhooksOptions>().Bind(builder.Configuration.GetSection(WebhooksOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhooksOptions>>(new SectionValidator<WebhooksOptions>(new WebhooksOptionsAnnotations(), WebhooksOptions.SectionName));
        services.AddSingleton<IValidateOptions<WebhooksOptions>, WebhooksOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ProviderRegistry>();
        services.AddSingleton<WebhookReceiver>();

        services.AddWebhookScheme<HmacSignatureVerifier, HmacEventNormaliser>(SchemeNames.Hmac);
        services.AddWebhookScheme<StripeSignatureVerifier, StripeEventNormaliser>(SchemeNames.Stripe);
        services.AddWebhookScheme<GitHubSignatureVerifier, GitHubEventNormaliser>(SchemeNames.GitHub, GitHubMaxBodyBytes);
        services.AddWebhookScheme<ShopifySignatureVerifier, ShopifyEventNormaliser>(SchemeNames.Shopify);
        services.AddWebhookScheme<StandardWebhooksSignatureVerifier, StandardWebhooksEventNormaliser>(SchemeNames.StandardWebhooks);
        services.AddWebhookScheme<PayPalSignatureVerifier, PayPalEventNormaliser>(SchemeNames.PayPal);
        services.AddWebhookScheme<MailchimpSignatureVerifier, MailchimpEventNormaliser>(SchemeNames.Mailchimp);
        // No redirects: the host check applies to the URL we fetch, and a redirect would take us elsewhere.
        services.AddHttpClient(PayPalCertificateSource.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<PayPalCertificateSource>();

        services.AddWebhookRateLimits();
        // Each provider's MaxBodyBytes is enforced while reading; Kestrel's own cap must not be lower.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        return builder;
    }

    /// <summary>Registers a scheme: one verifier, one normaliser, one line.</summary>
    public static IServiceCollection AddWebhookScheme<TVerifier, TNormaliser>(this IServiceCollection services, string name, long maxBodyBytes = ProviderOptions.DefaultMaxBodyBytes)
        where TVerifier : class, ISignatureVerifier
        where TNormaliser : class, IEventNormaliser
    {
        services.AddKeyedSingleton<ISignatureVerifier, TVerifier>(name);
        services.AddKeyedSingleton<IEventNormaliser, TNormaliser>(name);
        services.AddSingleton(sp => new WebhookScheme(
            name,
            sp.GetRequiredKeyedService<ISignatureVerifier>(name),
            sp.GetRequiredKeyedService<IEventNormaliser>(name),
            maxBodyBytes));
        return services;
    }
}
