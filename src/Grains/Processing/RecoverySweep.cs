using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.Processing;

/// <summary>
/// Makes "nothing accepted stays 'received' forever" true. The event stream is in memory, so an event in flight when a
/// silo dies is only in PostgreSQL. Every silo looks for events still 'received' after
/// <see cref="ProcessingOptions.RecoverAfter"/>, claims a batch (SKIP LOCKED, so silos split the work) and processes
/// it itself, not through the stream: recovery does not depend on the path that lost the events, and a backlog drains
/// at the silo's processing capacity, batch after batch, without waiting for the next interval while there is more.
/// The table we already write is the queue, and a second run of an event is harmless because domain grains apply each
/// event once. For a while after a silo joins or leaves, it also takes events only seconds old (see
/// <see cref="MembershipWindow"/>): those are the ones the stream may have dropped while its queues moved.
/// </summary>
internal sealed partial class RecoverySweep(
    IEventStore store,
    EventProcessor processor,
    IClusterMembershipService membership,
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
        // As many runs at once as the routers of two partitions: enough to drain a backlog at the silo's capacity.
        var concurrency = settings.MaxInFlightPerPartition * 2;
        var window = new MembershipWindow(time);
        using var timer = new PeriodicTimer(settings.SweepInterval, time);
        // The interval follows the window: shortened as soon as a change opens it, restored at the first tick after it
        // closes. The watcher ends before the timer is disposed.
        void Pace()
        {
            var interval = window.SweepInterval(settings.SweepInterval);
            if (timer.Period != interval)
            {
                timer.Period = interval;
            }
        }
        var watching = WatchMembershipAsync(window, Pace, stoppingToken);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Pace();
                try
                {
                    await SweepOnceAsync(
                        limit => store.ClaimOverdueAsync(limit, window.Early(settings.RecoverAfter), stoppingToken),
                        async overdue =>
                        {
                            LogRecovering(logger, overdue.Count);
                            await processor.RunAllAsync(overdue, concurrency).ConfigureAwait(false);
                        },
                        stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogSweepFailed(logger, ex);
                }
            }
        }
        finally
        {
            await watching.ConfigureAwait(false);
        }
    }

    private async Task WatchMembershipAsync(MembershipWindow window, Action changed, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken).ConfigureAwait(false))
            {
                var active = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress.ToString()).ToArray();
                if (window.Observe(active))
                {
                    changed();
                    LogMembershipChanged(logger, active.Length, MembershipWindow.Length.TotalSeconds, MembershipWindow.InFlightGrace.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Without membership news the sweep still runs at its usual threshold: slower after a change, never stuck.
            LogMembershipWatchFailed(logger, ex);
        }
    }

    /// <summary>
    /// One sweep: claims a batch of <see cref="BatchSize"/>, processes it, and claims the next while batches come back
    /// full, so that a backlog drains at the pace the silo processes (each batch is done before the next is claimed, so
    /// nothing claimed waits long enough to be claimed again). Returns how many were claimed.
    /// </summary>
    internal static async Task<int> SweepOnceAsync(
        Func<int, Task<IReadOnlyList<WebhookEvent>>> claim,
        Func<IReadOnlyList<WebhookEvent>, Task> process,
        CancellationToken cancellationToken)
    {
        var total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var overdue = await claim(BatchSize).ConfigureAwait(false);
            total += overdue.Count;
            if (overdue.Count > 0)
            {
                await process(overdue).ConfigureAwait(false);
            }
            if (overdue.Count < BatchSize)
            {
                break;
            }
        }
        return total;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Recovery sweep processing {Count} events still waiting")]
    private static partial void LogRecovering(ILogger logger, int count);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Active silos changed ({Active} now): for {WindowSeconds} s the recovery sweep looks every second and also takes events {GraceSeconds} s old, which the stream may have dropped while its queues moved")]
    private static partial void LogMembershipChanged(ILogger logger, int active, double windowSeconds, double graceSeconds);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Watching the cluster's membership failed; the recovery sweep keeps its usual threshold")]
    private static partial void LogMembershipWatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Recovery sweep failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
