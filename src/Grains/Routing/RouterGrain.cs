using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.Streams.Core;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Interfaces.Routing;
using Orleans.Webhooks.Grains.Processing;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>
/// One router per stream partition, so routing runs on every silo rather than on one hot grain. It starts each event's
/// processing run and lets the stream move on; a bounded number of runs are in flight at once, which holds the stream
/// back under a burst instead of piling up calls.
/// </summary>
[ImplicitStreamSubscription(EventStreams.Namespace)]
[Orleans.Placement.PreferLocalPlacement] // beside the pulling agent that delivers its partition: no hop between silos
[Reentrant]
internal sealed partial class RouterGrain(
    EventProcessor processor,
    IOptions<ProcessingOptions> options,
    ILogger<RouterGrain> logger) : Grain, IRouterGrain, IAsyncObserver<WebhookEvent>, IStreamSubscriptionObserver
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxInFlightPerPartition, options.Value.MaxInFlightPerPartition);

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<WebhookEvent>().ResumeAsync(this);

    public async Task OnNextAsync(WebhookEvent item, StreamSequenceToken? token = null)
    {
        if (!options.Value.Enabled)
        {
            return; // ingest-only silo: the event stays 'received' for a processing silo's recovery sweep
        }
        await _slots.WaitAsync();
        _ = RunAsync(item);
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(logger, ex, this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    private async Task RunAsync(WebhookEvent evt)
    {
        try
        {
            await processor.RunAsync(evt);
        }
        finally
        {
            _slots.Release();
        }
    }

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Stream error in router {Partition}")]
    private static partial void LogStreamError(ILogger logger, Exception exception, string partition);
}
