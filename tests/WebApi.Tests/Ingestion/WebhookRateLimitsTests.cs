using System.Net;
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
}
