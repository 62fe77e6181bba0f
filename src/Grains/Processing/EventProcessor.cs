using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Telemetry;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.Processing;

/// <summary>
/// One processing run of a stored event, whoever starts it (a router fed by the stream, the publisher when the stream
/// cannot take an event, the recovery sweep): dispatch, retry with exponential backoff, record the outcome. Runs of the
/// same event may overlap (a sweep and a late stream delivery); domain grains apply each event once, and an event some
/// run has processed stays processed.
/// </summary>
public sealed partial class EventProcessor(
    IEventDispatcher dispatcher,
    IEventStore store,
    IOptions<ProcessingOptions> options,
    TimeProvider time,
    ILogger<EventProcessor> logger)
{
    /// <summary>Processes the event and records its outcome; never throws (what it cannot record, the sweep runs again).</summary>
    public async Task RunAsync(WebhookEvent evt)
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
    }

    /// <summary>Runs every event with at most <paramref name="concurrency"/> in flight; completes when all are recorded.</summary>
    public Task RunAllAsync(IReadOnlyList<WebhookEvent> events, int concurrency) =>
        Parallel.ForEachAsync(events, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (evt, _) => await RunAsync(evt));

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
}
