using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Webhooks.WebApi.Ingestion;
using Orleans.Webhooks.WebApi.Providers;
using Orleans.Webhooks.WebApi.Rejections;
using Orleans.Webhooks.WebApi.Tests.Edge;

namespace Orleans.Webhooks.WebApi.Tests.Ingestion;

public sealed class SchemeRegistrationTests
{
    [Fact]
    public void AddWebhookIngestion_EverySchemeRegisteredAndResolvable()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddWebhookIngestion();
        // What the receiver needs from the rest of the app: the Orleans client's grain factory and the audit.
        builder.Services.AddSingleton<IGrainFactory>(new FakeGrains());
        builder.Services.AddSingleton<RejectionAudit>();
        using var services = builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var schemes = services.GetServices<WebhookScheme>().ToDictionary(s => s.Name);

        Assert.Equal(
            new[] { SchemeNames.GitHub, SchemeNames.Hmac, SchemeNames.Mailchimp, SchemeNames.PayPal, SchemeNames.Shopify, SchemeNames.StandardWebhooks, SchemeNames.Stripe },
            schemes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(WebhookIngestionExtensions.GitHubMaxBodyBytes, schemes[SchemeNames.GitHub].DefaultMaxBodyBytes);
        Assert.Equal(ProviderOptions.DefaultMaxBodyBytes, schemes[SchemeNames.Stripe].DefaultMaxBodyBytes);
        Assert.NotNull(services.GetRequiredService<WebhookReceiver>());
    }
}
