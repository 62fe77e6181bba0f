using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One cluster of the real programs (silos plus a web API) on a database and ports of its own, configured only through
/// environment variables as an operator would. Ports: the web API on basePort, silo i on basePort+10+i, its gateway on
/// basePort+20+i; give each Service a basePort 50 apart.
/// </summary>
public sealed class Service : IAsyncDisposable
{
    public const string HmacSecret = "e2e-hmac-secret";

    private readonly Dictionary<string, string> _environment;
    private readonly int _basePort;
    private readonly List<ServiceProcess?> _silos = [];
    private ServiceProcess? _api;
    private readonly List<ServiceProcess> _started = [];

    private Service(string connectionString, int basePort, IReadOnlyDictionary<string, string> extra)
    {
        ConnectionString = connectionString;
        basePort = TestPorts.Of(basePort);
        _basePort = basePort;
        BaseAddress = new Uri($"http://127.0.0.1:{basePort}");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        _environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Webhooks"] = connectionString,
            ["Orleans__ClusterId"] = $"e2e-{basePort}",
            ["Orleans__ServiceId"] = $"e2e-{basePort}",
            ["Webhooks__Providers__hmac__Secrets__0"] = "retired-secret",
            ["Webhooks__Providers__hmac__Secrets__1"] = HmacSecret,
            // Longer than any run here takes, so that a test counting attempts never sees a sweep run an event twice;
            // tests of recovery set RecoverAfter short (RecoverFast).
            ["Webhooks__Processing__RecoverAfter"] = "00:00:30",
            ["Webhooks__Processing__SweepInterval"] = "00:00:00.500",
            ["Webhooks__RateLimit__PermitsPerSecond"] = "0",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Orleans.Webhooks.WebApi.Changes"] = "Information",
        };
        foreach (var (key, value) in extra)
        {
            _environment[key] = value;
        }
    }

    public string ConnectionString { get; }

    public string ClusterId => _environment["Orleans__ClusterId"];

    /// <summary>The silo port of node <paramref name="index"/>.</summary>
    public int SiloPort(int index) => _basePort + 10 + index;

    public int GatewayPort(int index) => _basePort + 20 + index;

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>
    /// Starts <paramref name="silos"/> silos and the web API, and waits until /health/ready answers 200 and every silo is
    /// active in the membership table (the web API is ready as soon as one silo answers; a test that kills the second
    /// silo must know it had joined).
    /// </summary>
    public static async Task<Service> StartAsync(
        string database, int basePort, int silos = 1, IReadOnlyDictionary<string, string>? environment = null, string? fixture = null,
        TimeSpan fixtureAge = default, Func<Service, Task>? beforeStart = null)
    {
        var service = new Service(await TestDatabase.CreateAsync(database, fixture, fixtureAge), basePort, environment ?? new Dictionary<string, string>());
        try
        {
            if (beforeStart is not null)
            {
                await beforeStart(service);
            }
            for (var i = 0; i < silos; i++)
            {
                service._silos.Add(null);
                service.StartSilo(i);
            }
            service.StartApi();
            await service.WaitUntilReadyAsync();
            await Eventually.MatchesAsync(
                () => TestDatabase.ScalarAsync<long>(service.ConnectionString,
                    "SELECT count(*) FROM orleans_membership WHERE deployment_id = @c AND status = 3 AND port BETWEEN @first AND @last",
                    ("c", service.ClusterId), ("first", service.SiloPort(0)), ("last", service.SiloPort(9))),
                active => active == silos, TimeSpan.FromSeconds(60), $"all {silos} silos active in the cluster");
            return service;
        }
        catch
        {
            // A start that fails leaves no process behind to hold the ports of the tests that follow.
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>For tests of recovery: an event not finished 3 s after it was received (or replayed) is published again.</summary>
    public static Dictionary<string, string> RecoverFast(Dictionary<string, string>? environment = null) =>
        new(environment ?? []) { ["Webhooks__Processing__RecoverAfter"] = "00:00:03" };

    /// <summary>Starts the web API alone, as when it comes up before any silo; <see cref="StartSilo"/>(0) adds one.</summary>
    public static async Task<Service> StartWebApiFirstAsync(string database, int basePort)
    {
        var service = new Service(await TestDatabase.CreateAsync(database), basePort, new Dictionary<string, string>());
        service._silos.Add(null);
        service.StartApi();
        await Eventually.MatchesAsync(async () =>
        {
            try
            {
                using var live = await service.Http.GetAsync("/health/live");
                return live.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, up => up, TimeSpan.FromSeconds(60), "the web API to listen");
        return service;
    }

    public void StartSilo(int index, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var environment = new Dictionary<string, string>(_environment)
        {
            ["Orleans__SiloPort"] = SiloPort(index).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = GatewayPort(index).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        _silos[index] = Started(ServiceProcess.Start("Silo", environment));
    }

    public ServiceProcess Api => _api ?? throw new InvalidOperationException("the web API is not running");

    /// <summary>Every process started so far, running or not.</summary>
    public IEnumerable<ServiceProcess> Processes => _started;

    public void StartApi() =>
        _api = Started(ServiceProcess.Start("WebApi", new Dictionary<string, string>(_environment) { ["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/') }));

    private ServiceProcess Started(ServiceProcess process)
    {
        _started.Add(process);
        return process;
    }

    public ServiceProcess Silo(int index) => _silos[index] ?? throw new InvalidOperationException($"silo {index} is not running");

    public async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_api!.HasExited || _silos.Any(s => s is { HasExited: true }))
            {
                throw new InvalidOperationException("A process exited during start-up:\n" + Logs);
            }
            try
            {
                using var response = await Http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("The service did not become ready within 60 s:\n" + Logs);
    }

    public string Logs => string.Join("\n---\n", _silos.Where(s => s is not null).Select(s => s!.Output).Append(_api?.Output ?? ""));

    public async Task<JsonElement?> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        foreach (var process in _started)
        {
            await process.DisposeAsync();
        }
    }
}
