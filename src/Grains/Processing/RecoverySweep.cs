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
    private const int BatchSize = 500;

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
                // Batch after batch while there are more, up to RecoverPerSweep in one sweep; the rest waits for the next.
                int claimed, total = 0;
                do
                {
                    var limit = Math.Min(BatchSize, settings.RecoverPerSweep - total);
                    var overdue = await store.ClaimOverdueAsync(limit, stoppingToken).ConfigureAwait(false);
                    claimed = overdue.Count;
                    total += claimed;
                    if (claimed > 0)
                    {
                        LogRecovering(logger, claimed);
                        await Task.WhenAll(overdue.Select(publisher.PublishAsync)).ConfigureAwait(false);
                    }
                    if (claimed < limit)
                    {
                        break;
                    }
                }
                while (total < settings.RecoverPerSweep && !stoppingToken.IsCancellationRequested);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Recovery sweep re-publishing {Count} events still waiting to be processed")]
    private static partial void LogRecovering(ILogger logger, int count);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Recovery sweep failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
