using System.Net;
using System.Text.Json;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Operations;

/// <summary>
/// Load whose effects count themselves: a few payments, then a stream of 1-cent refunds of them. Once every accepted
/// event is processed, the payments' refunded amounts say how often each refund was applied: exactly once each, or not.
/// Several payments rather than one, so that no single grain sets the pace of processing.
/// </summary>
public sealed class RefundLoad : IAsyncDisposable
{
    /// <summary>At most 10 events a second per sender: a steady load that a shared two-core machine keeps up with.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    private const int Payments = 8;

    private readonly HttpClient _http;
    private readonly string[] _paymentIds;
    private readonly string[] _paymentEvents;

    private RefundLoad(HttpClient http, string[] paymentIds, string[] paymentEvents, int workers)
    {
        _http = http;
        _paymentIds = paymentIds;
        _paymentEvents = paymentEvents;
        var next = 0;
        Stream = new DeliveryStream(http, id => Signing.SeedEvent(id, "refund.processed", $"re_{id}", 1, "usd",
            payment: paymentIds[(Interlocked.Increment(ref next) & int.MaxValue) % Payments]), workers, Pause);
    }

    public DeliveryStream Stream { get; }

    public static async Task<RefundLoad> StartAsync(HttpClient http, int workers)
    {
        var paymentIds = Enumerable.Range(0, Payments).Select(_ => $"pay_{Guid.NewGuid():N}").ToArray();
        var paymentEvents = Enumerable.Range(0, Payments).Select(_ => $"evt_{Guid.NewGuid():N}").ToArray();
        for (var i = 0; i < Payments; i++)
        {
            using var payment = await http.SendAsync(Signing.Hmac(Signing.SeedEvent(paymentEvents[i], "payment.completed", paymentIds[i], 1_000_000, "usd")));
            Assert.Equal(HttpStatusCode.OK, payment.StatusCode);
        }
        return new RefundLoad(http, paymentIds, paymentEvents, workers);
    }

    /// <summary>Waits until <paramref name="more"/> events more than now are accepted.</summary>
    public async Task WaitForMoreAsync(int more, TimeSpan timeout, string because)
    {
        var target = Stream.Accepted.Count + more;
        await Eventually.MatchesAsync(() => Task.FromResult(Stream.Accepted.Count), n => n >= target, timeout, because);
    }

    /// <summary>
    /// Stops the load, then checks what a provider and the business would see: only 200 and 503 (retried) as answers,
    /// every accepted event processed, nothing else stored, and each refund applied once.
    /// </summary>
    public async Task StopAndVerifyAsync(string database)
    {
        await Stream.StopAsync();
        Assert.All(Stream.Answers.Keys, answer => Assert.Contains(answer, new[] { "200", "503" }));
        var ids = Stream.Accepted.Concat(_paymentEvents).ToArray();
        await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM webhook_events WHERE state = 'processed' AND external_id = ANY(@ids)", ("ids", ids)),
            processed => processed == ids.Length, TimeSpan.FromSeconds(180), $"all {ids.Length} accepted events processed");
        Assert.Equal(ids.Length, await TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM webhook_events"));
        var refunded = 0m;
        foreach (var paymentId in _paymentIds)
        {
            var payment = (await Eventually.MatchesAsync(async () =>
            {
                using var response = await _http.GetAsync($"/api/payments/hmac/{paymentId}");
                return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : (JsonElement?)null;
            }, p => p is not null, TimeSpan.FromSeconds(30), "the payment readable"))!.Value;
            refunded += payment.GetProperty("refundedAmount").GetDecimal();
        }
        Assert.Equal(Stream.Accepted.Count * 0.01m, refunded);
    }

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
