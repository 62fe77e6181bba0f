using System.Diagnostics.Metrics;
using Npgsql;
using Orleans.Webhooks.Grains.ChangeLog;
using Orleans.Webhooks.Grains.Interfaces.Telemetry;

namespace Orleans.Webhooks.WebApi.Changes;

/// <summary>
/// Wakes long polls of the change feed when changes commit: one connection LISTENs on the channel the silos' storage
/// NOTIFYs in the same commit as the changes. A poll re-reads at least every <see cref="PollInterval"/> as well, so a
/// lost connection delays an answer but never loses a change (the feed itself is read from the table).
/// </summary>
public sealed partial class ChangeNotifications(ChangeDatabase database, IMeterFactory meters, ILogger<ChangeNotifications> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly UpDownCounter<long> _waiting = meters.Create(MetricNames.Meter).CreateUpDownCounter<long>(
        MetricNames.ChangesWaiting, "{request}", "Long polls of the change feed waiting for a change");

    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Counts a long poll as waiting until the returned scope is disposed.</summary>
    public WaitingScope Waiting()
    {
        _waiting.Add(1);
        return new WaitingScope(_waiting);
    }

    public readonly struct WaitingScope(UpDownCounter<long> waiting) : IDisposable
    {
        public void Dispose() => waiting.Add(-1);
    }

    /// <summary>Completes at the next notification, or after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref _next).Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = database.CreateListenerConnection();
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, _) => Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                await using (var listen = new NpgsqlCommand($"LISTEN {ChangeLogReader.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                LogListening(logger, ChangeLogReader.Channel);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogListenFailed(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 5300, Level = LogLevel.Information, Message = "Listening for committed changes on channel {Channel}")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "Listening for committed changes failed ({Error}); long polls fall back to re-reading every second")]
    private static partial void LogListenFailed(ILogger logger, string error);
}
