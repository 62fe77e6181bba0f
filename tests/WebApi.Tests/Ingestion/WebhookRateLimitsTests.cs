using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Webhooks.WebApi.Rejections;
using Orleans.Webhooks.WebApi.Tests.Edge;

namespace Orleans.Webhooks.WebApi.Tests.Ingestion;

/// <summary>
/// The per-provider limit with a window of an hour, so that no bucket refills while a test counts: what it lets through
/// is exactly its permits, however slow the machine.
/// </summary>
public sealed class WebhookRateLimitsTests
{
    private const int Permits = 3;

    [Fact]
    public async Task ProviderLimit_BurstBeyondThePermits_ExactlyThePermitsReachTheGrain_TheRest429WithRetryAfterAndAudited()
    {
        await using var factory = new EdgeFactory(
            new Dictionary<string, string?> { ["Webhooks:RateLimit:PermitsPerSecond"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            rateLimitWindow: TimeSpan.FromHours(1));
        using var http = factory.CreateClient();

        var burst = await Task.WhenAll(Enumerable.Range(0, 4 * Permits).Select(async i =>
        {
            using var request = EdgeFactory.Delivery($$$"""{"id":"evt_burst_{{{i}}}","type":"payment.completed","data":{"id":"pay_1"}}""");
            using var response = await http.SendAsync(request);
            return (response.StatusCode, response.Headers.RetryAfter?.Delta);
        }));

        Assert.Equal(Permits, burst.Count(r => r.StatusCode == HttpStatusCode.OK));
        var limited = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToArray();
        Assert.Equal(3 * Permits, limited.Length);
        Assert.All(limited, r => Assert.True(r.Delta >= TimeSpan.FromSeconds(1), "Retry-After of at least a second"));
        Assert.Equal(Permits, factory.Grains.Accepted.Count);
        Assert.Equal(3 * Permits, factory.DrainRejections().Count(r => r is { Provider: "hmac", Reason: RejectionReasons.ProviderRateLimited, Status: 429 }));
    }

    [Fact]
    public async Task BothLimitsOff_DeliveriesAreAccepted_WithoutPassingThroughTheLimiter()
    {
        await using var factory = new EdgeFactory(
            new Dictionary<string, string?> { ["Webhooks:RateLimit:PermitsPerSecond"] = "0", ["Webhooks:RateLimit:PerClientPermitsPerSecond"] = "0" },
            rateLimitWindow: TimeSpan.FromHours(1));
        using var http = factory.CreateClient();
        using var leases = new LimiterRequests(factory.Services.GetRequiredService<IMeterFactory>());

        await SendAsync(http, "evt_off", 3, HttpStatusCode.OK);

        Assert.Equal(3, factory.Grains.Accepted.Count);
        Assert.Equal(0, leases.Count);
    }

    [Fact]
    public async Task ProviderLimit_SwitchedOnByAConfigurationReload_AppliesToTheNextDeliveries()
    {
        await using var factory = new EdgeFactory(
            new Dictionary<string, string?> { ["Webhooks:RateLimit:PermitsPerSecond"] = "0" },
            rateLimitWindow: TimeSpan.FromHours(1));
        using var http = factory.CreateClient();
        using var leases = new LimiterRequests(factory.Services.GetRequiredService<IMeterFactory>());
        await SendAsync(http, "evt_before", 2, HttpStatusCode.OK);
        Assert.Equal(0, leases.Count);

        var configuration = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();
        configuration["Webhooks:RateLimit:PermitsPerSecond"] = "1";
        configuration.Reload();

        await SendAsync(http, "evt_after_0", 1, HttpStatusCode.OK);
        await SendAsync(http, "evt_after_1", 2, HttpStatusCode.TooManyRequests);
        Assert.Equal(3, factory.Grains.Accepted.Count);
        Assert.True(leases.Count >= 3, $"the limiter saw {leases.Count} of the 3 deliveries after the reload");
    }

    private static async Task SendAsync(HttpClient http, string idPrefix, int count, HttpStatusCode expected)
    {
        for (var i = 0; i < count; i++)
        {
            using var request = EdgeFactory.Delivery($$$"""{"id":"{{{idPrefix}}}_{{{i}}}","type":"payment.completed","data":{"id":"pay_1"}}""");
            using var response = await http.SendAsync(request);
            Assert.Equal(expected, response.StatusCode);
        }
    }

    /// <summary>
    /// Counts the requests ASP.NET's rate limiter handled in one app (its <c>aspnetcore.rate_limiting.requests</c>
    /// counter, on the meters of that app's meter factory, so that apps of tests running beside it do not count).
    /// </summary>
    private sealed class LimiterRequests : IDisposable
    {
        private readonly MeterListener _listener = new();
        private int _count;

        public LimiterRequests(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "aspnetcore.rate_limiting.requests")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, (int)value));
            _listener.Start();
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
