using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests;

/// <summary>
/// A bad configuration stops the web API or the silo before anything starts: one line per problem on stderr naming the
/// key, never the secret, and exit code 78.
/// </summary>
public sealed class ConfigurationTests
{
    private const string Secret = "do-not-print-this-secret";

    /// <summary>EX_CONFIG, as SettingsCheck exits.</summary>
    private const int BadSetting = 78;

    /// <summary>
    /// A program with a bad setting stops in about a second on an idle machine; the deadline leaves room for a loaded
    /// test machine, so that it tells a stop from a hang, not speed.
    /// </summary>
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(15);

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

    [Fact]
    public async Task BadNestedSettings_WebApi_StopsBeforeStarting_OneLinePerKey()
    {
        await using var api = ServiceProcess.Start("WebApi", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{TestPorts.Of(5600)}",
            ["ConnectionStrings__Webhooks"] = $"Host=127.0.0.1;Port=1;Database=none;Username=none;Password={Secret}",
            ["Webhooks__Providers__hmac__Secrets__0"] = Secret,
            ["Webhooks__Providers__hmac__ToleranceSeconds"] = "0",
            ["Webhooks__RateLimit__PermitsPerSecond"] = "-1",
            ["Webhooks__Destinations__erp__Url"] = $"ftp://user:{Secret}@erp.example/",
            ["Webhooks__Destinations__erp__Secrets__0"] = Secret,
            ["Webhooks__Destinations__erp__Batch"] = "0",
            ["Dashboard__Password"] = Secret,
            ["Dashboard__Username"] = "",
            ["Orleans__GatewayPort"] = "0",
        });

        await AssertStopsWithAsync(api,
            "Orleans:GatewayPort: must be between 1 and 65535.",
            "Webhooks:RateLimit:PermitsPerSecond: must be between 0 and 1000000.",
            "Webhooks:Providers:hmac:ToleranceSeconds: must be between 1 and 86400.",
            "Webhooks:Destinations:erp:Url: must be an absolute http or https URL.",
            "Webhooks:Destinations:erp:Batch: must be between 1 and 1000.",
            "Dashboard:Username: is required.");
    }

    [Fact]
    public async Task BadNestedSettings_Silo_StopsBeforeStarting_OneLinePerKey()
    {
        await using var silo = ServiceProcess.Start("Silo", new Dictionary<string, string>
        {
            ["ConnectionStrings__Webhooks"] = $"Host=127.0.0.1;Port=1;Database=none;Username=none;Password={Secret}",
            ["Orleans__SiloPort"] = TestPorts.Of(5610).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = TestPorts.Of(5620).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans__ClusterId"] = "",
            ["Orleans__AdvertisedIPAddress"] = "not a host",
            ["Webhooks__Processing__Storage__MaxBatch"] = "0",
            ["Webhooks__Retention__Rejections"] = "-00:00:01",
            ["Webhooks__Destinations__erp__Url"] = "http://erp.example/hook",
            ["Webhooks__Destinations__erp__Format"] = "standard-webhooks",
            ["Webhooks__Destinations__erp__Secrets__0"] = Secret,
        });

        await AssertStopsWithAsync(silo,
            "Orleans:ClusterId: is required.",
            "Orleans:AdvertisedIPAddress: 'not a host' is neither an IP address nor a host name.",
            "Webhooks:Processing:Storage:MaxBatch: must be between 1 and 10000.",
            "Webhooks:Retention:Rejections: must be between 01:00:00 and 3650.00:00:00.",
            "Webhooks:Destinations:erp:Secrets:0: a standard-webhooks secret is 'whsec_' followed by base64.");
    }

    [Fact]
    public async Task UnreadableValue_Silo_StopsNamingTheKeyNotTheValue()
    {
        await using var silo = ServiceProcess.Start("Silo", new Dictionary<string, string>
        {
            ["ConnectionStrings__Webhooks"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none",
            ["Orleans__SiloPort"] = Secret,
        });

        await AssertStopsWithAsync(silo, "Orleans:SiloPort: is not a valid Int32.");
    }

    /// <summary>
    /// The program stopped by itself with <see cref="BadSetting"/>, before its host
    /// started (nothing listened, nothing logged an error), and its stderr holds exactly <paramref name="lines"/>:
    /// no stack trace, no secret.
    /// </summary>
    private static async Task AssertStopsWithAsync(ServiceProcess program, params string[] lines)
    {
        int exitCode;
        try
        {
            exitCode = await program.WaitForExitAsync(StopDeadline);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"still running {StopDeadline.TotalSeconds} s after its start:\n{program.Output}");
            throw;
        }

        Assert.Equal(BadSetting, exitCode);
        Assert.Equal(lines.Order(StringComparer.Ordinal), program.ErrorLines.Order(StringComparer.Ordinal));
        Assert.False(program.HasStarted, program.Output);
        Assert.Empty(program.Failures);
        Assert.DoesNotContain(Secret, program.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Webhooks__Processing__Storage__MaxBatch", "0", "Webhooks:Processing:Storage:MaxBatch: must be between 1 and 10000")]
    [InlineData("Webhooks__Processing__Storage__InsertWorkers", "0", "Webhooks:Processing:Storage:InsertWorkers: must be between 1 and 64")]
    [InlineData("Webhooks__Retention__Events", "-1.00:00:00", "Webhooks:Retention:Events: must be between 1.00:00:00 and 3650.00:00:00")]
    [InlineData("Webhooks__Retention__Rejections", "-00:00:01", "Webhooks:Retention:Rejections: must be between 01:00:00 and 3650.00:00:00")]
    public async Task BadSiloSetting_StopsTheSiloNamingTheSettingAndItsRange(string variable, string value, string message)
    {
        var (exitCode, output) = await StartSiloAsync(new Dictionary<string, string> { [variable] = value });

        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Webhooks__TrustedProxies__0", "10.0.0.0/33", "Webhooks:TrustedProxies:0")]
    [InlineData("Webhooks__Providers__hmac__AllowedNetworks__1", "not-a-network", "Webhooks:Providers:hmac:AllowedNetworks:1")]
    [InlineData("Webhooks__RateLimit__PerClientPermitsPerSecond", "-1", "Webhooks:RateLimit:PerClientPermitsPerSecond: must be between 0 and 1000000")]
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
