using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.Streams.Core;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Interfaces.Routing;
using Orleans.Webhooks.Grains.Interfaces.Telemetry;
using Orleans.Webhooks.Grains.Processing;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>
/// One router per stream partition, so routing runs on every silo rather than on one hot grain. It starts each event's
/// processing run and lets the stream move on; a bounded number of runs are in flight at once, which holds the stream
/// back under a burst instead of piling up calls. A run retries with exponential backoff and records the outcome.
/// </summary>
[ImplicitStreamSubscription(EventStreams.Namespace)]
[Orleans.Placement.PreferLocalPlacement] // beside the pulling agent that delivers its partition: no hop between silos
[Reentrant]
internal sealed partial class RouterGrain(
    IEventDispatcher dispatcher,
    EventStore store,
    IOptions<ProcessingOptions> options,
    TimeProvider time,
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
            var outcome = await ProcessAsync(evt);
            WebhookMetrics.ProcessingRuns.Add(1, new KeyValuePair<string, object?>("outcome", outcome.State));
            await store.RecordOutcomeAsync(outcome);
        }
        catch (Exception ex)
        {
            // Recording the outcome failed (database down): the event stays 'received' and the sweep retries it.
            LogOutcomeNotRecorded(logger, ex, evt.Provider, evt.ExternalId);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<EventOutcome> ProcessAsync(WebhookEvent evt)
    {
        var settings = options.Value;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await dispatcher.DispatchAsync(evt);
                var state = result == DispatchResult.Processed ? EventStates.Processed : EventStates.Ignored;
                if (result == DispatchResult.Ignored)
                {
                    LogIgnored(logger, evt.Provider, evt.ExternalId, evt.Type);
                }
                return new EventOutcome(evt.Provider, evt.ExternalId, state, attempt, null, time.GetUtcNow());
            }
            catch (Exception ex) when (ex is not PermanentProcessingException && attempt >= settings.MaxAttempts && TransientFailures.Is(ex))
            {
                LogDeferred(logger, ex, evt.Provider, evt.ExternalId, attempt);
                return new EventOutcome(evt.Provider, evt.ExternalId, EventStates.Received, attempt, Describe(ex), time.GetUtcNow());
            }
            catch (Exception ex) when (ex is PermanentProcessingException || attempt >= settings.MaxAttempts)
            {
                LogFailed(logger, ex, evt.Provider, evt.ExternalId, attempt);
                return new EventOutcome(evt.Provider, evt.ExternalId, EventStates.Failed, attempt, Describe(ex), time.GetUtcNow());
            }
            catch (Exception ex)
            {
                var delay = settings.BackoffBefore(attempt + 1);
                LogRetrying(logger, evt.Provider, evt.ExternalId, attempt, delay, ex.Message);
                await Task.Delay(delay, time);
            }
        }
    }

    private static string Describe(Exception ex) => $"{ex.GetType().Name}: {ex.Message}";

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Attempt {Attempt} at {Provider} event {ExternalId} failed, retrying in {Delay}: {Error}")]
    private static partial void LogRetrying(ILogger logger, string provider, string externalId, int attempt, TimeSpan delay, string error);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "{Provider} event {ExternalId} failed after {Attempts} attempts")]
    private static partial void LogFailed(ILogger logger, Exception exception, string provider, string externalId, int attempts);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "{Provider} event {ExternalId} of type {Type} has no handler; marked ignored")]
    private static partial void LogIgnored(ILogger logger, string provider, string externalId, string? type);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Could not record the outcome of {Provider} event {ExternalId}; the recovery sweep will run it again")]
    private static partial void LogOutcomeNotRecorded(ILogger logger, Exception exception, string provider, string externalId);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "{Provider} event {ExternalId}: {Attempts} attempts failed on the cluster or the database, not on the event; it stays received and the recovery sweep runs it again")]
    private static partial void LogDeferred(ILogger logger, Exception exception, string provider, string externalId, int attempts);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Stream error in router {Partition}")]
    private static partial void LogStreamError(ILogger logger, Exception exception, string partition);
}
