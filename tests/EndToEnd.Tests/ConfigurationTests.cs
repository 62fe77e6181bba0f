using System.Net;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests;

/// <summary>A bad configuration stops the web API or the silo at start with a message naming the setting, never the secret.</summary>
public sealed class ConfigurationTests
{
    private const string Secret = "do-not-print-this-secret";

    private static async Task<(int ExitCode, string Output)> StartApiAsync(Dictionary<string, string> environment)
    {
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{TestPorts.Of(5600)}";
        environment["ConnectionStrings__Webhooks"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=1";
        await using var api = ServiceProcess.Start("WebApi", environment);
        var exitCode = await api.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return (exitCode, api.Output);
    }

    private static async Task<(int ExitCode, string Output)> StartSiloAsync(Dictionary<string, string> environment)
    {
        environment["ConnectionStrings__Webhooks"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=1";
        environment["Orleans__SiloPort"] = TestPorts.Of(5610).ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Orleans__GatewayPort"] = TestPorts.Of(5620).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var silo = ServiceProcess.Start("Silo", environment);
        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return (exitCode, silo.Output);
    }

    [Theory]
    [InlineData("Webhooks__Processing__Storage__MaxBatch", "0", "Webhooks:Processing:Storage:MaxBatch must be between 1 and 10000")]
    [InlineData("Webhooks__Processing__Storage__InsertWorkers", "0", "Webhooks:Processing:Storage:InsertWorkers must be between 1 and 64")]
    [InlineData("Webhooks__Retention__Events", "-1.00:00:00", "Webhooks:Retention:Events must be between 1.00:00:00 and 3650.00:00:00")]
    [InlineData("Webhooks__Retention__Rejections", "-00:00:01", "Webhooks:Retention:Rejections must be between 01:00:00 and 3650.00:00:00")]
    public async Task BadSiloSetting_StopsTheSiloNamingTheSettingAndItsRange(string variable, string value, string message)
    {
        var (exitCode, output) = await StartSiloAsync(new Dictionary<string, string> { [variable] = value });

        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Webhooks__TrustedProxies__0", "10.0.0.0/33", "Webhooks:TrustedProxies:0")]
    [InlineData("Webhooks__Providers__hmac__AllowedNetworks__1", "not-a-network", "Webhooks:Providers:hmac:AllowedNetworks:1")]
    [InlineData("Webhooks__RateLimit__PerClientPermitsPerSecond", "-1", "Webhooks:RateLimit:PerClientPermitsPerSecond must be between 0 and 1000000")]
    public async Task BadWebApiSetting_StopsTheProcessNamingTheSetting(string variable, string value, string message)
    {
        var (exitCode, output) = await StartApiAsync(new Dictionary<string, string>
        {
            ["Webhooks__Providers__hmac__Secrets__0"] = Secret,
            ["Webhooks__Providers__hmac__AllowedNetworks__0"] = "192.0.2.0/24",
            [variable] = value,
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownScheme_StopsTheProcessNamingProviderAndKey()
    {
        var (exitCode, output) = await StartApiAsync(new Dictionary<string, string>
        {
            ["Webhooks__Providers__acme__Scheme"] = "carrier-pigeon",
            ["Webhooks__Providers__acme__Secrets__0"] = Secret,
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Webhooks:Providers:acme:Scheme", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProviderWithoutSecret_StopsTheProcess()
    {
        var (exitCode, output) = await StartApiAsync(new Dictionary<string, string>
        {
            ["Webhooks__Providers__hmac__Header"] = "X-Sig",
        });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Webhooks:Providers:hmac:Secrets", output, StringComparison.Ordinal);
    }
}
