using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Telemetry;
using Orleans.Webhooks.Grains.Storage;
using Polly;
using Polly.Retry;

namespace Orleans.Webhooks.Grains.Processing;

/// <summary>
/// One processing run of a stored event, whoever starts it (a router fed by the stream, the publisher when the stream
/// cannot take an event, the recovery sweep): dispatch, retry with exponential backoff (a Polly pipeline), record the
/// outcome: processed or ignored, failed when the event cannot be processed or the attempts run out, or still received
/// when the last attempt met an outage. Runs of the same event may overlap (a sweep and a late stream delivery); domain
/// grains apply each event once, and an event some run has processed stays processed.
/// </summary>
public sealed partial class EventProcessor(
    IEventDispatcher dispatcher,
    IEventStore store,
    IOptions<ProcessingOptions> options,
    TimeProvider time,
    ILogger<EventProcessor> logger)
{
    private static readonly ResiliencePropertyKey<WebhookEvent> EventKey = new("webhooks.event");

    private readonly ResiliencePipeline<DispatchResult> _retries = RetryPipeline(options.Value, time, logger);

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
        var attempts = 0;
        // Attempts continue where the run started (a router grain's turn), as awaits there do.
        var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: true);
        context.Properties.Set(EventKey, evt);
        try
        {
            var result = await _retries.ExecuteAsync(async _ =>
            {
                attempts++;
                return await dispatcher.DispatchAsync(evt);
            }, context);
            if (result == DispatchResult.Ignored)
            {
                LogIgnored(logger, evt.Provider, evt.ExternalId, evt.Type);
            }
            var state = result == DispatchResult.Processed ? EventStates.Processed : EventStates.Ignored;
            return new EventOutcome(evt.Provider, evt.ExternalId, state, attempts, null, time.GetUtcNow());
        }
        catch (Exception ex) when (ex is not PermanentProcessingException && TransientFailures.Is(ex))
        {
            // Every attempt met an outage, not the event: the recovery sweep runs it again, however long the outage.
            LogDeferred(logger, ex, evt.Provider, evt.ExternalId, attempts);
            return new EventOutcome(evt.Provider, evt.ExternalId, EventStates.Received, attempts, Describe(ex), time.GetUtcNow());
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, evt.Provider, evt.ExternalId, attempts);
            return new EventOutcome(evt.Provider, evt.ExternalId, EventStates.Failed, attempts, Describe(ex), time.GetUtcNow());
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Up to <see cref="ProcessingOptions.MaxAttempts"/> attempts, waiting <see cref="ProcessingOptions.InitialBackoff"/>
    /// before the second and doubling up to <see cref="ProcessingOptions.MaxBackoff"/>, on <paramref name="time"/>. A
    /// <see cref="PermanentProcessingException"/> is not retried: the event itself cannot be processed. Any other failure
    /// is, whether an outage (<see cref="TransientFailures"/>) or not; which of the two the last one was decides the
    /// outcome.
    /// </summary>
    private static ResiliencePipeline<DispatchResult> RetryPipeline(ProcessingOptions settings, TimeProvider time, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<DispatchResult> { TimeProvider = time };
        if (settings.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<DispatchResult>
            {
                ShouldHandle = new PredicateBuilder<DispatchResult>().Handle<Exception>(ex => ex is not PermanentProcessingException),
                MaxRetryAttempts = settings.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                Delay = settings.InitialBackoff,
                MaxDelay = settings.MaxBackoff,
                OnRetry = args =>
                {
                    var evt = args.Context.Properties.GetValue(EventKey, null!);
                    LogRetrying(logger, evt.Provider, evt.ExternalId, args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message ?? "");
                    return ValueTask.CompletedTask;
                },
            });
        }
        return builder.Build();
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
