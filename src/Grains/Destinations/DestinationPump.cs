using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.ChangeLog;
using Orleans.Webhooks.Grains.Interfaces.Destinations;
using Polly;
using Polly.Retry;

namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// One run of a destination's sender, from a cursor until it is stopped: it reads the change log after the cursor into
/// a <see cref="ChangeWindow"/>, keeps up to <c>Concurrency</c> POSTs in flight (lanes), each carrying up to
/// <c>Batch</c> changes, and moves the cursor over what is acknowledged or parked. A lane takes its next batch as soon
/// as its previous one is acknowledged, with whatever is waiting then: no timer holds a batch back to fill it.
/// </summary>
internal sealed partial class DestinationPump(
    string name,
    ChangeLogReader changeLog,
    DestinationStore store,
    DestinationSender sender,
    DeliveryTracker tracker,
    Func<DestinationOptions?> settingsOf,
    TimeProvider time,
    IPumpHost host,
    ILogger logger)
{
    private const int ReadBatch = 500;

    /// <summary>How far past the cursor it reads: bounds memory and what a restart sends again while one object is stuck.</summary>
    private const long MaxAhead = 10_000;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan SaveInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ErrorPause = TimeSpan.FromSeconds(1);
    private ChangeWindow? _window;
    private (DestinationOptions Settings, ResiliencePipeline<int?> Pipeline)? _retries;

    /// <summary>Where the running pump stands; null when it is not running.</summary>
    public long? Cursor => _window?.Cursor;

    public async Task RunAsync(long cursor, DestinationOptions settings, CancellationToken stop)
    {
        var window = _window = new ChangeWindow(cursor);
        // By batch, not by task: a delivery that ends without awaiting returns a cached task, the same for many batches.
        var running = new Dictionary<IReadOnlyList<Change>, Task<int>>(ReferenceEqualityComparer.Instance);
        var kinds = settings.EffectiveKinds;
        var readFull = false;
        var lastRead = 0L;
        var lastSave = Stopwatch.GetTimestamp();
        var savedCursor = cursor;
        // One timer per poll interval, shared by the waits of that interval (a wait ends at each acknowledgement).
        var tick = Task.CompletedTask;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (window.ReadUpTo - window.Cursor >= MaxAhead)
                    {
                        readFull = false; // nothing more is read until the oldest changes are delivered
                    }
                    else if (readFull || Stopwatch.GetElapsedTime(lastRead) >= PollInterval)
                    {
                        lastRead = Stopwatch.GetTimestamp();
                        var read = await changeLog.ReadAsync(window.ReadUpTo, ReadBatch, kinds, stop);
                        foreach (var change in read)
                        {
                            window.Add(change);
                        }
                        readFull = read.Count == ReadBatch;
                    }
                    var current = settingsOf() ?? settings;
                    while (running.Count < current.Concurrency && window.TakeBatch(current.Batch, c => tracker.CapOf(c, current)) is { Count: > 0 } batch)
                    {
                        running.Add(batch, DeliverAsync(batch, stop));
                    }
                    if (Stopwatch.GetElapsedTime(lastSave) >= SaveInterval && (window.Cursor != savedCursor || host.HasUnsaved()))
                    {
                        lastSave = Stopwatch.GetTimestamp();
                        if (!await host.SaveAsync(window.Cursor, stop))
                        {
                            return;
                        }
                        savedCursor = window.Cursor;
                    }
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    LogPumpFailed(logger, ex, name);
                    await PauseQuietlyAsync(ErrorPause, stop);
                    continue;
                }
                if (readFull && running.Count < settings.Concurrency)
                {
                    continue;
                }
                if (tick.IsCompleted)
                {
                    tick = Task.Delay(PollInterval, stop);
                }
                await Task.WhenAny(running.Values.Append(tick));
                foreach (var (batch, task) in running.Where(r => r.Value.IsCompleted).ToList())
                {
                    running.Remove(batch);
                    window.Finish(batch, task.Result);
                }
            }
        }
        finally
        {
            foreach (var (batch, task) in running)
            {
                window.Finish(batch, await task);
            }
            _window = null;
            try
            {
                await host.SaveAsync(window.Cursor, CancellationToken.None);
            }
            catch (Exception ex)
            {
                LogSaveFailed(logger, ex, name);
            }
        }
    }

    /// <summary>
    /// Sends a batch until it is acknowledged or given back: how many of its first changes are done (delivered or
    /// parked); the rest go back to the window. Between attempts it waits as <see cref="RetriesFor"/> says.
    /// </summary>
    private async Task<int> DeliverAsync(IReadOnlyList<Change> batch, CancellationToken stop)
    {
        if (settingsOf() is not { } first)
        {
            return 0;
        }
        var size = batch.Count;
        // Attempts continue on the grain's scheduler, as every other await of the pump does.
        var context = ResilienceContextPool.Shared.Get(continueOnCapturedContext: true, stop);
        try
        {
            return await RetriesFor(first).ExecuteAsync(async _ =>
            {
                var (done, smaller) = await AttemptAsync(batch, size, stop);
                size = smaller;
                return done;
            }, context) ?? 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// One POST of the first <paramref name="size"/> changes of <paramref name="batch"/>, and the verdict on it: how
    /// many changes are done (null: send again after a backoff) and the size of the next attempt.
    /// </summary>
    private async Task<(int? Done, int Size)> AttemptAsync(IReadOnlyList<Change> batch, int size, CancellationToken stop)
    {
        if (settingsOf() is not { } settings)
        {
            return (0, size);
        }
        var sent = size == batch.Count ? batch : batch.Take(size).ToList();
        var started = time.GetUtcNow();
        SendResult result;
        try
        {
            result = await sender.SendAsync(sent, settings, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return (0, size);
        }
        var now = time.GetUtcNow();
        foreach (var change in sent)
        {
            host.Record(new RecordedAttempt(
                new DeliveryAttempt { ChangeId = change.Id, Status = result.Status, DurationMs = result.DurationMs, Error = result.Error, At = now },
                result.Delivered ? AttemptOutcome.Delivered : AttemptOutcome.Failed));
        }
        DestinationMetrics.Posted(name, sent.Count, result.Delivered);
        if (result.Delivered)
        {
            tracker.Delivered(sent, now);
            return (sent.Count, size);
        }
        var wasFailing = tracker.AttemptsOf(sent[0].Seq) > 0;
        var verdict = tracker.Failed(sent, batch.Count, started, now, result.Status, result.Error!, settings);
        if (!wasFailing)
        {
            LogDeliveryFailing(logger, name, sent.Count == 1 ? sent[0].Id : $"{sent[0].Id}-{sent[^1].Id}", result.Error!);
        }
        switch (verdict)
        {
            case FailureVerdict.Park when await TryParkAsync(sent[0], result.Error!, now, stop):
                return (1, size);
            case FailureVerdict.Pause:
                LogPausedAfterHorizon(logger, name, sent[0].Id, settings.RetryHorizon, result.Error!);
                host.PauseAfterHorizon();
                return (0, size);
            case FailureVerdict.Split:
                return (0, size);
            case FailureVerdict.Shrink:
                return (null, Math.Max(1, sent.Count / 2));
            default:
                return (null, size);
        }
    }

    /// <summary>
    /// The waits of a failing batch: exponential from <c>InitialBackoff</c>, capped at <c>MaxBackoff</c>, with jitter
    /// (receivers coming back from an outage are not hit by every waiting object at once), on the destinations' clock,
    /// for as long as the attempts say "again" (the retry horizon, parking and pausing are the tracker's). One pipeline
    /// per settings: a reload of the destination's settings makes the next batch use the new backoff.
    /// </summary>
    private ResiliencePipeline<int?> RetriesFor(DestinationOptions settings)
    {
        if (_retries is { } built && ReferenceEquals(built.Settings, settings))
        {
            return built.Pipeline;
        }
        var pipeline = new ResiliencePipelineBuilder<int?> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<int?>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && args.Outcome.Result is null),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.InitialBackoff,
                MaxDelay = settings.MaxBackoff, // at most a day, as the options' validation holds it
            })
            .Build();
        _retries = (settings, pipeline);
        return pipeline;
    }

    /// <summary>Sets the change aside in destination_parked; false (it is retried) when that cannot be written.</summary>
    private async Task<bool> TryParkAsync(Change change, string error, DateTimeOffset now, CancellationToken stop)
    {
        var attempts = tracker.AttemptsOf(change.Seq);
        try
        {
            await store.ParkAsync(name, change, attempts, error, now, stop);
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            LogPumpFailed(logger, ex, name);
            return false;
        }
        tracker.Forget(change.Seq);
        LogParked(logger, name, change.Id, attempts, error);
        return true;
    }

    private static async Task PauseQuietlyAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Destination {Destination}: change {ChangeId} failed ({Error}); retrying with backoff")]
    private static partial void LogDeliveryFailing(ILogger logger, string destination, string changeId, string error);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Destination {Destination} paused: change {ChangeId} kept failing for {RetryHorizon} ({Error})")]
    private static partial void LogPausedAfterHorizon(ILogger logger, string destination, string changeId, TimeSpan retryHorizon, string error);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "Destination {Destination}: reading or saving failed; retrying")]
    private static partial void LogPumpFailed(ILogger logger, Exception exception, string destination);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Warning, Message = "Destination {Destination}: saving the cursor on stop failed; changes after the saved one will be sent again")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, string destination);

    [LoggerMessage(EventId = 6109, Level = LogLevel.Warning, Message = "Destination {Destination}: change {ChangeId} parked after {Attempts} attempts ({Error}); the others go on")]
    private static partial void LogParked(ILogger logger, string destination, string changeId, int attempts, string error);
}
