using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Destinations;

/// <summary>A bad destination stops the web API and the silo at start, with a message naming the destination and key, never the secret.</summary>
public sealed class PushConfigurationTests
{
    private const string Secret = "do-not-print-this-destination-secret";

    private static async Task<(int ExitCode, string Output)> StartAsync(string project, Dictionary<string, string> environment)
    {
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{TestPorts.Of(8200)}";
        environment["Orleans__SiloPort"] = TestPorts.Of(8210).ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Orleans__GatewayPort"] = TestPorts.Of(8220).ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["ConnectionStrings__Webhooks"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=1";
        await using var process = ServiceProcess.Start(project, environment);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return (exitCode, process.Output);
    }

    [Theory]
    [InlineData("WebApi")]
    [InlineData("Silo")]
    public async Task UrlNotAbsoluteHttp_StopsTheProcessNamingDestinationAndKey(string project)
    {
        var (exitCode, output) = await StartAsync(project, new Dictionary<string, string>
        {
            ["Webhooks__Destinations__odoo__Url"] = "ftp://erp.example.com/hook",
            ["Webhooks__Destinations__odoo__Secrets__0"] = Secret,
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Webhooks:Destinations:odoo:Url", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WebApi")]
    [InlineData("Silo")]
    public async Task UnknownFormatAndNoSecret_StopTheProcessNamingDestinationAndKeys(string project)
    {
        var (exitCode, output) = await StartAsync(project, new Dictionary<string, string>
        {
            ["Webhooks__Destinations__erp__Url"] = "https://erp.example.com/hook",
            ["Webhooks__Destinations__erp__Format"] = "soap",
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Webhooks:Destinations:erp:Format", output, StringComparison.Ordinal);
        Assert.Contains("Webhooks:Destinations:erp:Secrets", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StandardWebhooksSecretNotWhsec_StopsTheSiloWithoutPrintingIt()
    {
        var (exitCode, output) = await StartAsync("Silo", new Dictionary<string, string>
        {
            ["Webhooks__Destinations__erp__Url"] = "https://erp.example.com/hook",
            ["Webhooks__Destinations__erp__Format"] = "standard-webhooks",
            ["Webhooks__Destinations__erp__Secrets__0"] = Secret,
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Webhooks:Destinations:erp:Secrets:0", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
    }
}
