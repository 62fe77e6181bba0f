using Microsoft.Extensions.Configuration;
using Orleans.Webhooks.Grains.Interfaces.Configuration;

namespace Orleans.Webhooks.Grains.Tests.Destinations;

public sealed class DestinationsOptionsValidatorTests
{
    private const string Secret = "do-not-print-this-secret";

    private static DestinationsOptions Bind(Dictionary<string, string?> settings)
    {
        var options = new DestinationsOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(DestinationsOptions.SectionName).Bind(options.Destinations);
        return options;
    }

    private static string Failure(Dictionary<string, string?> settings)
    {
        var result = new DestinationsOptionsValidator().Validate(null, Bind(settings));
        Assert.True(result.Failed);
        Assert.DoesNotContain(Secret, result.FailureMessage, StringComparison.Ordinal);
        return result.FailureMessage;
    }

    [Fact]
    public void Minimal_IsValidWithTheDefaults()
    {
        var options = Bind(new() { ["Webhooks:Destinations:odoo:Url"] = "https://erp.example.com/orleans/webhook", ["Webhooks:Destinations:odoo:Secrets:0"] = Secret });

        Assert.True(new DestinationsOptionsValidator().Validate(null, options).Succeeded);
        var odoo = options.Find("ODOO")!;
        Assert.Equal((DestinationOptions.Hmac, TimeSpan.FromSeconds(10), TimeSpan.FromDays(3)), (odoo.Format, odoo.Timeout, odoo.RetryHorizon));
        Assert.Equal(["payment", "order", "customer"], odoo.EffectiveKinds);
    }

    [Theory]
    [InlineData("erp.example.com/webhook")]
    [InlineData("ftp://erp.example.com/webhook")]
    [InlineData("/relative")]
    public void UrlNotAbsoluteHttp_NamesDestinationAndKey(string url)
    {
        var message = Failure(new() { ["Webhooks:Destinations:odoo:Url"] = url, ["Webhooks:Destinations:odoo:Secrets:0"] = Secret });
        Assert.Contains("Webhooks:Destinations:odoo:Url", message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingSecret_NamesDestinationAndKey()
    {
        var message = Failure(new() { ["Webhooks:Destinations:odoo:Url"] = "http://127.0.0.1:8069/hook" });
        Assert.Contains("Webhooks:Destinations:odoo:Secrets", message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFormat_NamesDestinationAndKey()
    {
        var message = Failure(new()
        {
            ["Webhooks:Destinations:odoo:Url"] = "http://127.0.0.1:8069/hook",
            ["Webhooks:Destinations:odoo:Secrets:0"] = Secret,
            ["Webhooks:Destinations:odoo:Format"] = "xml-rpc",
        });
        Assert.Contains("Webhooks:Destinations:odoo:Format", message, StringComparison.Ordinal);
    }

    [Fact]
    public void StandardWebhooksSecretNotWhsecBase64_NamesTheSecretsIndexNotTheSecret()
    {
        var message = Failure(new()
        {
            ["Webhooks:Destinations:erp:Url"] = "https://erp.example.com/hook",
            ["Webhooks:Destinations:erp:Format"] = "standard-webhooks",
            ["Webhooks:Destinations:erp:Secrets:0"] = Secret,
        });
        Assert.Contains("Webhooks:Destinations:erp:Secrets:0", message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKindAndBadTimes_AreEachReported()
    {
        var message = Failure(new()
        {
            ["Webhooks:Destinations:odoo:Url"] = "https://erp.example.com/hook",
            ["Webhooks:Destinations:odoo:Secrets:0"] = Secret,
            ["Webhooks:Destinations:odoo:Kinds:0"] = "invoice",
            ["Webhooks:Destinations:odoo:Timeout"] = "00:00:00",
            ["Webhooks:Destinations:odoo:RetryHorizon"] = "-00:00:01",
        });
        Assert.Contains("Webhooks:Destinations:odoo:Kinds", message, StringComparison.Ordinal);
        Assert.Contains("Webhooks:Destinations:odoo:Timeout", message, StringComparison.Ordinal);
        Assert.Contains("Webhooks:Destinations:odoo:RetryHorizon", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Batch", "0")]
    [InlineData("Batch", "1001")]
    [InlineData("ParkAfter", "0")]
    [InlineData("MaxBackoff", "1.00:00:01")]
    public void SettingOutOfRange_NamesDestinationAndKey(string key, string value)
    {
        var message = Failure(new()
        {
            ["Webhooks:Destinations:odoo:Url"] = "https://erp.example.com/hook",
            ["Webhooks:Destinations:odoo:Secrets:0"] = Secret,
            [$"Webhooks:Destinations:odoo:{key}"] = value,
        });
        Assert.Contains($"Webhooks:Destinations:odoo:{key}", message, StringComparison.Ordinal);
    }

    [Fact]
    public void BatchAndParkAfter_DefaultToOneChangePerPostAndTenAttempts()
    {
        var options = Bind(new() { ["Webhooks:Destinations:odoo:Url"] = "https://erp.example.com/hook", ["Webhooks:Destinations:odoo:Secrets:0"] = Secret, ["Webhooks:Destinations:odoo:Batch"] = "100" });
        Assert.True(new DestinationsOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal((100, 10), (options.Find("odoo")!.Batch, options.Find("odoo")!.ParkAfter));
        Assert.Equal((1, false), (new DestinationOptions().Batch, new DestinationOptions().Batched));
    }

    [Fact]
    public void DisplayUrl_DropsUserInformationAndQuery()
    {
        var options = Bind(new() { ["Webhooks:Destinations:odoo:Url"] = "https://user:pass@erp.example.com:8443/hook?token=abc" });
        Assert.Equal("https://erp.example.com:8443/hook", options.Find("odoo")!.DisplayUrl);
    }
}
