using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.Interfaces.Destinations;

namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// Every silo pings every configured destination's grain every few seconds. The first ping activates the sender; after
/// its silo dies, the next ping from a surviving silo activates it there, once the cluster has declared the silo dead.
/// Reminders would do the same at most once a minute.
/// </summary>
internal sealed partial class DestinationKeepAlive(
    IGrainFactory grains,
    IOptionsMonitor<DestinationsOptions> options,
    ILogger<DestinationKeepAlive> logger) : BackgroundService
{
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            var names = options.CurrentValue.Destinations.Keys.Select(DestinationsOptions.Normalise).ToList();
            await Task.WhenAll(names.Select(async name =>
            {
                try
                {
                    await grains.GetGrain<IDestinationGrain>(name).EnsureRunningAsync().WaitAsync(Interval * 5, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Expected while this silo starts and while the cluster settles a silo's death.
                    LogPingFailed(logger, name, ex.GetType().Name, ex.Message);
                }
            }));
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Debug, Message = "Destination {Destination}: keep-alive ping failed ({ExceptionType}: {Reason})")]
    private static partial void LogPingFailed(ILogger logger, string destination, string exceptionType, string reason);
}
