using System.Net;
using System.Text.Json;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Operations;

/// <summary>
/// Load whose effects count themselves: one payment, then a stream of 1-cent refunds of it. Once every accepted event
/// is processed, the payment's refunded amount says how often each refund was applied: exactly once each, or not.
/// </summary>
public sealed class RefundLoad : IAsyncDisposable
{
    /// <summary>About 20 events a second per sender.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);

    private readonly HttpClient _http;
    private readonly string _paymentId;
    private readonly string _paymentEvent;

    private RefundLoad(HttpClient http, string paymentId, string paymentEvent, int workers)
    {
        _http = http;
        _paymentId = paymentId;
        _paymentEvent = paymentEvent;
        Stream = new DeliveryStream(http, id => Signing.SeedEvent(id, "refund.processed", $"re_{id}", 1, "usd", payment: paymentId), workers, Pause);
    }

    public DeliveryStream Stream { get; }

    public static async Task<RefundLoad> StartAsync(HttpClient http, int workers)
    {
        var (paymentId, paymentEvent) = ($"pay_{Guid.NewGuid():N}", $"evt_{Guid.NewGuid():N}");
        using (var payment = await http.SendAsync(Signing.Hmac(Signing.SeedEvent(paymentEvent, "payment.completed", paymentId, 1_000_000, "usd"))))
        {
            Assert.Equal(HttpStatusCode.OK, payment.StatusCode);
        }
        return new RefundLoad(http, paymentId, paymentEvent, workers);
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
        var ids = Stream.Accepted.Append(_paymentEvent).ToArray();
        await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM webhook_events WHERE state = 'processed' AND external_id = ANY(@ids)", ("ids", ids)),
            processed => processed == ids.Length, TimeSpan.FromSeconds(90), $"all {ids.Length} accepted events processed");
        Assert.Equal(ids.Length, await TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM webhook_events"));
        var payment = (await Eventually.MatchesAsync(async () =>
        {
            using var response = await _http.GetAsync($"/api/payments/hmac/{_paymentId}");
            return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : (JsonElement?)null;
        }, p => p is not null, TimeSpan.FromSeconds(30), "the payment readable"))!.Value;
        Assert.Equal(Stream.Accepted.Count * 0.01m, payment.GetProperty("refundedAmount").GetDecimal());
    }

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
