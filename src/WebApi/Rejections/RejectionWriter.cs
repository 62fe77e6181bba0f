using System.Data.Common;

namespace Orleans.Webhooks.WebApi.Rejections;

/// <summary>
/// Stores what <see cref="RejectionAudit"/> collected, once a second, in one round trip. A flush that fails (PostgreSQL
/// unreachable) is dropped and logged: the audit never holds up or grows without bound beside the accepted path.
/// </summary>
public sealed partial class RejectionWriter(RejectionAudit audit, RejectionStore store, TimeProvider time, ILogger<RejectionWriter> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await FlushAsync(last.Token);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var (rows, counts) = audit.Drain();
        if (rows.Count == 0 && counts.Count == 0)
        {
            return;
        }
        try
        {
            await store.WriteAsync(rows, counts, cancellationToken);
        }
        catch (Exception ex) when (ex is not (DbException { IsTransient: true } or OperationCanceledException) && rows.Count > 0)
        {
            // Not an outage: it may be something a row holds. The counts and every other row are still written, one at a time.
            LogSplit(logger, ex, rows.Count);
            await WriteAsync([], counts, cancellationToken);
            foreach (var row in rows)
            {
                await WriteAsync([row], EmptyCounts, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDropped(logger, ex, rows.Count, counts.Values.Sum());
        }
    }

    private static readonly Dictionary<(string Provider, string Reason, DateTimeOffset Minute), long> EmptyCounts = [];

    private async Task WriteAsync(List<Rejection> rows, Dictionary<(string Provider, string Reason, DateTimeOffset Minute), long> counts, CancellationToken cancellationToken)
    {
        try
        {
            await store.WriteAsync(rows, counts, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDropped(logger, ex, rows.Count, counts.Values.Sum());
        }
    }

    [LoggerMessage(EventId = 5401, Level = LogLevel.Warning, Message = "Could not store the audit of {Rows} refused deliveries ({Refusals} counted); dropped")]
    private static partial void LogDropped(ILogger logger, Exception exception, int rows, long refusals);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Warning, Message = "The audit of {Rows} refused deliveries could not be stored in one write; storing them one by one")]
    private static partial void LogSplit(ILogger logger, Exception exception, int rows);
}
