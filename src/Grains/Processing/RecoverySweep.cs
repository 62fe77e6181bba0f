using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Routing;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.Processing;

/// <summary>
/// Makes "nothing accepted stays 'received' forever" true. The event stream is in memory, so an event in flight when a
/// silo dies, or one the stream could not take, is only in PostgreSQL. Every silo looks for events still 'received' after
/// <see cref="ProcessingOptions.RecoverAfter"/>, claims a batch (SKIP LOCKED, so silos split the work) and publishes
/// them again. We chose this over the alpha ADO.NET stream provider: the table we already write is the queue, recovery
/// is bounded by two settings, and a redelivery is harmless because domain grains apply each event once.
/// </summary>
internal sealed partial class RecoverySweep(
    EventStore store,
    EventPublisher publisher,
    IOptions<ProcessingOptions> options,
    TimeProvider time,
    ILogger<RecoverySweep> logger) : BackgroundService
{
    internal const int BatchSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(settings.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await SweepOnceAsync(
                    limit => store.ClaimOverdueAsync(limit, stoppingToken),
                    async overdue =>
                    {
                        LogRecovering(logger, overdue.Count);
                        await Task.WhenAll(overdue.Select(publisher.PublishAsync)).ConfigureAwait(false);
                    },
                    settings.RecoverPerSweep,
                    stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    /// <summary>
    /// One sweep: batch after batch of <see cref="BatchSize"/> while there are more, up to <paramref name="perSweep"/>
    /// events in all; the rest waits for the next sweep. Returns how many were claimed.
    /// </summary>
    internal static async Task<int> SweepOnceAsync(
        Func<int, Task<IReadOnlyList<WebhookEvent>>> claim,
        Func<IReadOnlyList<WebhookEvent>, Task> publish,
        int perSweep,
        CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < perSweep && !cancellationToken.IsCancellationRequested)
        {
            var limit = Math.Min(BatchSize, perSweep - total);
            var overdue = await claim(limit).ConfigureAwait(false);
            total += overdue.Count;
            if (overdue.Count > 0)
            {
                await publish(overdue).ConfigureAwait(false);
            }
            if (overdue.Count < limit)
            {
                break;
            }
        }
        return total;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Recovery sweep re-publishing {Count} events still waiting to be processed")]
    private static partial void LogRecovering(ILogger logger, int count);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Recovery sweep failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
