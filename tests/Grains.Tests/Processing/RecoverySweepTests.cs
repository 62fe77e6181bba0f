using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Processing;

namespace Orleans.Webhooks.Grains.Tests.Processing;

/// <summary>How one sweep takes a backlog (the claiming itself is PostgreSQL's, tested in ProcessingTests).</summary>
public sealed class RecoverySweepTests
{
    /// <summary>A backlog of <paramref name="overdue"/> events that hands out what each claim asks for, and records the asks.</summary>
    private static async Task<(int Total, List<int> Limits, int Published)> SweepAsync(int overdue)
    {
        var left = overdue;
        var limits = new List<int>();
        var published = 0;
        var total = await RecoverySweep.SweepOnceAsync(
            limit =>
            {
                limits.Add(limit);
                var taken = Math.Min(limit, left);
                left -= taken;
                return Task.FromResult<IReadOnlyList<WebhookEvent>>(Enumerable.Range(0, taken).Select(i => Events.Stored($"evt_{i}", EventTypes.PaymentCompleted, EventDetails.Empty)).ToArray());
            },
            batch =>
            {
                published += batch.Count;
                return Task.CompletedTask;
            },
            CancellationToken.None);
        return (total, limits, published);
    }

    [Fact]
    public async Task LargeBacklog_DrainedInOneSweep_BatchAfterBatch()
    {
        var (total, limits, published) = await SweepAsync(overdue: 3 * RecoverySweep.BatchSize + 20);

        Assert.Equal((3 * RecoverySweep.BatchSize + 20, 3 * RecoverySweep.BatchSize + 20), (total, published));
        Assert.Equal(Enumerable.Repeat(RecoverySweep.BatchSize, 4), limits);
    }

    [Fact]
    public async Task SmallBacklog_TakenInOneSweep_StopsAtTheFirstShortBatch()
    {
        var (total, limits, published) = await SweepAsync(overdue: 730);

        Assert.Equal((730, 730), (total, published));
        Assert.Equal([RecoverySweep.BatchSize, RecoverySweep.BatchSize], limits);
    }

    [Fact]
    public async Task NothingOverdue_OneClaimNothingPublished()
    {
        var (total, limits, published) = await SweepAsync(overdue: 0);

        Assert.Equal((0, 0), (total, published));
        Assert.Single(limits);
    }
}
