namespace Orleans.Webhooks.Naive;

/// <summary>The background loop: 50 pending rows at a time until the queue is empty, then a short nap.</summary>
public sealed partial class PaymentApplier(QueueStore queue, ILogger<PaymentApplier> logger) : BackgroundService
{
    private const int BatchSize = 50;
    private static readonly TimeSpan IdleDelay = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await queue.ApplyPendingAsync(BatchSize, stoppingToken) > 0)
                {
                    continue;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogApplyFailed(logger, ex);
            }
            await Task.Delay(IdleDelay, stoppingToken);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Applying pending events failed; retrying")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception);
}
