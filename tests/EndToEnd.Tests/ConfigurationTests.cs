using System.Net;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests;

/// <summary>A bad configuration stops the web API at start with a message naming the provider and key, never the secret.</summary>
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
