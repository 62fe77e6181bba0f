using Orleans.Storage;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Processing;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Domain;

/// <summary>
/// An object that many events reach at once (a payment refunded forty times in a burst) applies those that arrive while
/// it writes in its next write: fewer writes than events, every event once, a change per event in order, and a failed
/// write fails all of its events, which their retries then apply on a fresh activation.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class BusyObjectTests(ClusterFixture fixture)
{
    private const int Refunds = 40;

    private IPaymentGrain Payment(string id) => fixture.Client.GetGrain<IPaymentGrain>($"test:{id}");

    private static WebhookEvent Completed(string paymentId) =>
        Events.Stored(Events.NewId("evt"), EventTypes.PaymentCompleted,
            new EventDetails { ObjectId = paymentId, Amount = 10_000m, Currency = "usd", CustomerId = "cus_busy", OccurredAt = Events.T0 });

    private static WebhookEvent[] RefundsOf(string paymentId) => Enumerable.Range(1, Refunds).Select(n =>
        Events.Stored(Events.NewId("evt"), EventTypes.RefundProcessed,
            new EventDetails { ObjectId = $"re_{n}", PaymentId = paymentId, Amount = n, Currency = "usd", OccurredAt = Events.T0.AddSeconds(n) })).ToArray();

    private static decimal Sum => Enumerable.Range(1, Refunds).Sum(n => (decimal)n);

    [Fact]
    public async Task ABurstOfEventsWithDuplicates_AppliedOnceEach_InFewerWritesThanEvents_WithAChangePerEvent()
    {
        var id = Events.NewId("pay");
        var completed = Completed(id);
        Assert.True(await Payment(id).ApplyAsync(completed));
        var refunds = RefundsOf(id);

        // Every refund delivered twice, all at once, as a burst of retries of a provider would, with reads among them.
        var burst = Task.WhenAll(refunds.Concat(refunds).Select(r => Payment(id).ApplyAsync(r)));
        var reads = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Payment(id).GetAsync()));
        var applied = await burst;

        Assert.Equal(Refunds, applied.Count(a => a));
        Assert.All(reads, read => Assert.InRange(read!.RefundedAmount, 0m, Sum));
        Assert.Equal(Sum, (await Payment(id).GetAsync())!.RefundedAmount);
        var writes = await TestDatabase.ScalarAsync<int>(fixture.ConnectionString,
            "SELECT etag FROM grain_state WHERE state_name = 'payment' AND grain_id LIKE @k", ("k", $"%{id}"));
        Assert.True(writes < 1 + Refunds, $"{1 + Refunds} events took {writes} writes; events arriving during a write should share the next one");
        var changes = await ChangesAsync(id);
        Assert.Equal(
            new[] { completed }.Concat(refunds).Select(e => e.Key).Order(StringComparer.Ordinal),
            changes.Select(c => c.EventKey).Order(StringComparer.Ordinal));
        // In change order the refunded amount only grows, and the last change shows all of it.
        var amounts = changes.Select(c => c.Refunded).ToArray();
        Assert.Equal(amounts.Order(), amounts);
        Assert.Equal(Sum, amounts[^1]);
    }

    [Fact]
    public async Task AWriteThatLosesItsEtag_FailsTheEventsOfItsRoundAsAnOutage_AndTheirRetriesApplyEachOnce()
    {
        var (id, refunds, first) = await BurstOnAStaleActivationAsync();

        // The write fails, and so does every event folded or waiting with it (one sent late may reach a fresh activation).
        Assert.Contains(first, failure => failure is not null);
        Assert.All(first, failure => Assert.True(failure is null || failure is InconsistentStateException && TransientFailures.Is(failure), $"expected an outage, got {failure}"));
        // The runs try again, as the processor does, until a fresh activation takes them.
        await Eventually.MatchesAsync(
            async () => await Task.WhenAll(refunds.Select(r => Attempt(Payment(id).ApplyAsync(r)))),
            failures => failures.All(f => f is null), TimeSpan.FromSeconds(30), "the refunds to be applied on a fresh activation");
        Assert.Equal(Sum, (await Payment(id).GetAsync())!.RefundedAmount);
        Assert.Equal(Refunds, (await ChangesAsync(id, refundsOnly: true)).Count);
    }

    /// <summary>
    /// A payment whose activation holds an etag that another writer has moved on, then a burst of refunds at it. The
    /// activation is let go 200-400 ms after its last event (QuietActivations): should a stalled test host let it go
    /// before the burst, nothing would fail, so the setup is tried again on a new payment (at most three times).
    /// </summary>
    private async Task<(string Id, WebhookEvent[] Refunds, Exception?[] First)> BurstOnAStaleActivationAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var id = Events.NewId("pay");
            Assert.True(await Payment(id).ApplyAsync(Completed(id)));
            await TestDatabase.ExecuteAsync(fixture.ConnectionString,
                "UPDATE grain_state SET etag = etag + 1 WHERE state_name = 'payment' AND grain_id LIKE @k", ("k", $"%{id}"));
            var refunds = RefundsOf(id);
            var first = await Task.WhenAll(refunds.Select(r => Attempt(Payment(id).ApplyAsync(r))));
            if (first.Any(failure => failure is not null) || attempt == 3)
            {
                return (id, refunds, first);
            }
        }
    }

    private static async Task<Exception?> Attempt(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    /// <summary>The payment's changes in change order: the event that made each, and the refunded amount it shows.</summary>
    private async Task<IReadOnlyList<(string EventKey, decimal Refunded)>> ChangesAsync(string id, bool refundsOnly = false)
    {
        await using var db = Npgsql.NpgsqlDataSource.Create(fixture.ConnectionString);
        await using var command = db.CreateCommand("""
            SELECT event_key, (view ->> 'refundedAmount')::numeric FROM changes
            WHERE kind = 'payment' AND object_id = @id AND (NOT @refunds OR event_type = 'refund.processed') ORDER BY seq
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("refunds", refundsOnly);
        var rows = new List<(string, decimal)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetDecimal(1)));
        }
        return rows;
    }
}
