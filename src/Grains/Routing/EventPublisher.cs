using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Processing;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>
/// Puts stored events on the event stream, many at a time. Every event grain of a silo publishes through this one
/// publisher, which gathers events for <see cref="ProcessingOptions.PublishDelay"/> and sends them as one stream batch:
/// one queue message and one delivery to a router instead of one of each per event (published one by one, the stream
/// cost the silo more CPU than storing the event). Batches go to the partitions in turn, which spreads them over all
/// routers; which router applies an event does not matter, since domain grains apply each event once and in any order.
/// </summary>
public sealed partial class EventPublisher : IAsyncDisposable
{
    private readonly IClusterClient _client;
    private readonly int _partitions;
    private readonly Batcher<WebhookEvent, bool> _batches;
    private readonly ILogger<EventPublisher> _logger;
    private int _next;

    public EventPublisher(IClusterClient client, IOptions<ProcessingOptions> options, ILogger<EventPublisher> logger)
    {
        var settings = options.Value;
        _client = client;
        _logger = logger;
        _partitions = settings.Partitions;
        _next = Random.Shared.Next(_partitions);
        _batches = new Batcher<WebhookEvent, bool>(
            "publish-events", PublishBatchAsync, workers: 1, settings.Storage.MaxBatch, logger, settings.PublishDelay);
    }

    /// <summary>Completes when the event's batch is on the stream.</summary>
    public Task PublishAsync(WebhookEvent evt) => _batches.EnqueueAsync(evt);

    /// <summary>
    /// Hands the event over without waiting. Losing it loses nothing: it is committed as 'received', and the recovery
    /// sweep publishes what is still 'received' after <see cref="ProcessingOptions.RecoverAfter"/>.
    /// </summary>
    public void Post(WebhookEvent evt)
    {
        if (!_batches.TryPost(evt))
        {
            LogNotPublished(_logger, evt.Provider, evt.ExternalId);
        }
    }

    private async Task<IReadOnlyList<bool>> PublishBatchAsync(IReadOnlyList<WebhookEvent> batch, CancellationToken cancellationToken)
    {
        var partition = (int)((uint)Interlocked.Increment(ref _next) % (uint)_partitions);
        await _client.GetStreamProvider(EventStreams.ProviderName)
            .GetStream<WebhookEvent>(EventStreams.ForPartition(partition))
            .OnNextBatchAsync(batch.ToList()).ConfigureAwait(false);
        var published = new bool[batch.Count];
        Array.Fill(published, true);
        return published;
    }

    public ValueTask DisposeAsync() => _batches.DisposeAsync();

    // The silo is stopping: the event is committed as 'received', and a silo's recovery sweep will publish it.
    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Silo stopping: {Provider} event {ExternalId} is left to the recovery sweep")]
    private static partial void LogNotPublished(ILogger logger, string provider, string externalId);
}
