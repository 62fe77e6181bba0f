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
/// cost the silo more CPU than storing the event). A batch is split by partition: an event goes to the partition of the
/// object it is about (<see cref="EventObjects.SubjectOf"/>), so that one object's events reach one router, on one
/// silo, where its grain is active (payment grains are registered per silo, not cluster-wide).
/// Correctness does not rest on it: domain grains apply each event once and in any order, wherever they run.
/// A partition that refuses its events is skipped for a while (<see cref="StreamHealth"/>) and they go to the next
/// one; when none takes them, this silo processes them itself, so that no event waits for the recovery sweep
/// because of the stream.
/// </summary>
public sealed partial class EventPublisher : IAsyncDisposable
{
    /// <summary>A partition that has not taken a batch by then counts as failing (a queue on a silo that died).</summary>
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    private readonly IClusterClient _client;
    private readonly EventProcessor _processor;
    private readonly StreamHealth _health;
    private readonly ProcessingOptions _settings;
    private readonly Batcher<WebhookEvent, bool> _batches;
    private readonly ILogger<EventPublisher> _logger;

    public EventPublisher(IClusterClient client, EventProcessor processor, StreamHealth health, IOptions<ProcessingOptions> options, ILogger<EventPublisher> logger)
    {
        _settings = options.Value;
        _client = client;
        _processor = processor;
        _health = health;
        _logger = logger;
        // Several workers, so that a partition that answers slowly holds back one batch rather than all publishing.
        _batches = new Batcher<WebhookEvent, bool>(
            "publish-events", PublishBatchAsync, workers: 4, _settings.Storage.MaxBatch, logger, _settings.PublishDelay);
    }

    /// <summary>Completes when the event's batch is on the stream (or, when no partition takes it, processed).</summary>
    public Task PublishAsync(WebhookEvent evt) => _batches.EnqueueAsync(evt);

    /// <summary>
    /// Hands the event over without waiting. Losing it loses nothing: it is committed as 'received', and the recovery
    /// sweep processes what is still 'received' after <see cref="ProcessingOptions.RecoverAfter"/>.
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
        await Task.WhenAll(batch.GroupBy(PartitionOf).Select(group => PublishAsync(group.Key, group.ToList(), cancellationToken))).ConfigureAwait(false);
        return Done(batch);
    }

    /// <summary>The partition of the object the event is about (of the event itself when it names none); the same on every silo.</summary>
    public int PartitionOf(WebhookEvent evt) =>
        (int)(StableHash.ComputeHash(EventKey.Format(evt.Provider, EventObjects.SubjectOf(evt) ?? evt.ExternalId)) % (uint)_settings.Partitions);

    private async Task PublishAsync(int home, List<WebhookEvent> events, CancellationToken cancellationToken)
    {
        for (var tried = 0; tried < _settings.Partitions; tried++)
        {
            var partition = (home + tried) % _settings.Partitions;
            if (!_health.ShouldTry(partition))
            {
                continue;
            }
            try
            {
                await _client.GetStreamProvider(EventStreams.ProviderName)
                    .GetStream<WebhookEvent>(EventStreams.ForPartition(partition))
                    .OnNextBatchAsync(events).WaitAsync(PublishTimeout, cancellationToken).ConfigureAwait(false);
                _health.Succeeded(partition);
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                _health.Failed(partition, ex);
            }
        }
        if (_settings.Enabled)
        {
            LogProcessingDirectly(_logger, events.Count);
            await _processor.RunAllAsync(events, _settings.MaxInFlightPerPartition).ConfigureAwait(false);
        }
    }

    private static bool[] Done(IReadOnlyList<WebhookEvent> batch)
    {
        var done = new bool[batch.Count];
        Array.Fill(done, true);
        return done;
    }

    public ValueTask DisposeAsync() => _batches.DisposeAsync();

    // The silo is stopping: the event is committed as 'received', and a silo's recovery sweep will process it.
    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Silo stopping: {Provider} event {ExternalId} is left to the recovery sweep")]
    private static partial void LogNotPublished(ILogger logger, string provider, string externalId);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, Message = "No stream partition takes events: processing {Count} events on this silo")]
    private static partial void LogProcessingDirectly(ILogger logger, int count);
}
