using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Destinations;

namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// The sender of one destination. Orleans keeps one activation of it in the cluster, and silos ping it every few seconds
/// (<see cref="DestinationKeepAlive"/>), so when its silo dies it comes back on another one and carries on from the
/// cursor it saved. It reads the change log after its cursor, delivers objects in parallel and each object's changes in
/// order, retries a failing change with backoff, and pauses the destination when one keeps failing past the horizon.
/// Delivery is at least once: what was in flight when it stopped is sent again, with the same id.
/// </summary>
[KeepAlive]
internal sealed partial class DestinationGrain(
    DestinationStore store,
    DestinationSender sender,
    IOptionsMonitor<DestinationsOptions> options,
    [FromKeyedServices(DestinationClock.Key)] TimeProvider time,
    ILogger<DestinationGrain> logger) : Grain, IDestinationGrain
{
    private const int ReadBatch = 500;

    /// <summary>How far past the cursor it reads: bounds memory and what a restart sends again while one object is stuck.</summary>
    private const long MaxAhead = 10_000;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan SaveInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ErrorPause = TimeSpan.FromSeconds(1);

    private readonly List<DeliveryAttempt> _unsaved = [];
    private readonly Dictionary<long, DateTimeOffset> _failing = [];
    private DestinationRow _row = null!;
    private bool _paused;
    private string? _lastError;
    private DateTimeOffset? _inheritedFailingSince;
    private int _attemptsSinceTrim;
    private bool _stale;
    private ChangeWindow? _window;
    private CancellationTokenSource? _stop;
    private Task _pump = Task.CompletedTask;

    private string Name => this.GetPrimaryKeyString();

    private DestinationOptions? Settings => options.CurrentValue.Find(Name);

    /// <summary>Since when some change has been failing without a break; before a restart, as saved.</summary>
    private DateTimeOffset? FailingSince => _failing.Count > 0 ? _failing.Values.Min() : _inheritedFailingSince;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync();
        Start();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await StopAsync();
        DestinationMetrics.Forget(Name);
    }

    public async Task EnsureRunningAsync()
    {
        if (_stale && _pump.IsCompleted)
        {
            // Another activation wrote the row: carry on from what it saved. Orleans keeps one of the two in the end;
            // until then both send, which at least once allows.
            await ReloadAsync();
        }
        Start();
    }

    private async Task ReloadAsync()
    {
        _row = await store.LoadAsync(Name);
        _paused = _row.Paused;
        _lastError = _row.LastError;
        _inheritedFailingSince = _row.FailingSince;
        _failing.Clear();
        _stale = false;
    }

    public async Task<DestinationStatus> GetStatusAsync()
    {
        var cursor = _window?.Cursor ?? _row.Cursor;
        var (count, seconds) = await store.LagAsync(cursor, Settings?.EffectiveKinds ?? DestinationOptions.AllKinds);
        return new DestinationStatus
        {
            State = _paused ? "paused" : "active",
            Cursor = cursor,
            LagChanges = count,
            LagSeconds = seconds,
            LastError = _lastError,
            FailingSince = FailingSince,
        };
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> GetDeliveriesAsync(int limit)
    {
        // Attempts not yet written are the newest.
        var recent = _unsaved.AsEnumerable().Reverse().Take(limit).ToList();
        if (recent.Count < limit)
        {
            recent.AddRange(await store.AttemptsAsync(Name, limit - recent.Count));
        }
        return recent;
    }

    // Parking is not built yet: nothing is ever parked (the ERP-end issue implements these).
    public Task<IReadOnlyList<ParkedChange>> GetParkedAsync(int limit) => Task.FromResult<IReadOnlyList<ParkedChange>>([]);

    public Task<bool> RetryParkedAsync(long changeId) => Task.FromResult(false);

    public Task<bool> SkipParkedAsync(long changeId) => Task.FromResult(false);

    public async Task PauseAsync()
    {
        await StopAsync();
        _paused = true;
        await SaveAsync(_row.Cursor, CancellationToken.None);
        LogPaused(logger, Name, _row.Cursor);
    }

    public async Task ResumeAsync()
    {
        await StopAsync();
        _paused = false;
        _lastError = null;
        _inheritedFailingSince = null;
        _failing.Clear();
        await SaveAsync(_row.Cursor, CancellationToken.None);
        LogResumed(logger, Name, _row.Cursor);
        Start();
    }

    public async Task RewindAsync(long cursor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cursor);
        await StopAsync();
        _failing.Clear();
        await SaveAsync(cursor, CancellationToken.None);
        LogRewound(logger, Name, cursor);
        Start();
    }

    private void Start()
    {
        if (_paused || _stale || !_pump.IsCompleted || Settings is not { } settings)
        {
            return;
        }
        _stop?.Dispose();
        _stop = new CancellationTokenSource();
        LogSending(logger, Name, _row.Cursor);
        _pump = PumpAsync(settings, _stop.Token);
    }

    /// <summary>
    /// Stops sending: deliveries in flight are cancelled, and the cursor and attempts are saved (or, when another
    /// activation wrote the row meanwhile, the row is read again).
    /// </summary>
    private async Task StopAsync()
    {
        _stop?.Cancel();
        try
        {
            await _pump;
        }
        catch (Exception ex)
        {
            LogPumpFailed(logger, ex, Name);
        }
        if (_stale)
        {
            await ReloadAsync();
        }
    }

    private async Task PumpAsync(DestinationOptions settings, CancellationToken stop)
    {
        var window = _window = new ChangeWindow(_row.Cursor);
        var running = new Dictionary<Change, Task<bool>>(ReferenceEqualityComparer.Instance);
        var kinds = settings.EffectiveKinds;
        var newest = 0L;
        var readFull = false;
        var lastRead = 0L;
        var lastSave = Stopwatch.GetTimestamp();
        // One timer per poll interval, shared by the waits of that interval (a wait ends at each delivery).
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
                        var (changes, latest) = await store.ReadAsync(window.ReadUpTo, ReadBatch, kinds, stop);
                        newest = latest;
                        foreach (var change in changes)
                        {
                            window.Add(change);
                        }
                        readFull = changes.Count == ReadBatch;
                    }
                    while (running.Count < settings.Concurrency && window.TryTake(out var next))
                    {
                        running.Add(next, DeliverAsync(next, stop));
                    }
                    DestinationMetrics.Report(Name, Math.Max(0, newest - window.Cursor), window.OldestPendingAt);
                    if (Stopwatch.GetElapsedTime(lastSave) >= SaveInterval && (window.Cursor != _row.Cursor || _unsaved.Count > 0 || FailingSince != _row.FailingSince))
                    {
                        lastSave = Stopwatch.GetTimestamp();
                        if (!await SaveAsync(window.Cursor, stop))
                        {
                            return;
                        }
                    }
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    LogPumpFailed(logger, ex, Name);
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
                await Task.WhenAny(running.Values.Append<Task>(tick));
                foreach (var (change, task) in running.Where(r => r.Value.IsCompleted).ToList())
                {
                    running.Remove(change);
                    if (task.Result)
                    {
                        window.Complete(change);
                    }
                }
            }
        }
        finally
        {
            foreach (var (change, task) in running)
            {
                if (await task)
                {
                    window.Complete(change);
                }
            }
            _window = null;
            try
            {
                if (!_stale)
                {
                    await SaveAsync(window.Cursor, CancellationToken.None);
                }
            }
            catch (Exception ex)
            {
                LogSaveFailed(logger, ex, Name);
            }
        }
    }

    /// <summary>Sends one change until it is delivered (true), or sending stops or the destination is paused (false).</summary>
    private async Task<bool> DeliverAsync(Change change, CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var settings = Settings;
            if (settings is null)
            {
                return false;
            }
            SendResult result;
            try
            {
                result = await sender.SendAsync(change, settings, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return false;
            }
            var now = time.GetUtcNow();
            _unsaved.Add(new DeliveryAttempt { ChangeId = change.Id, Status = result.Status, DurationMs = result.DurationMs, Error = result.Error, At = now });
            DestinationMetrics.Attempted(Name, result.Delivered);
            if (result.Delivered)
            {
                _failing.Remove(change.Seq);
                _inheritedFailingSince = null;
                if (_failing.Count == 0)
                {
                    _lastError = null;
                }
                return true;
            }
            if (!_failing.TryGetValue(change.Seq, out var firstFailure))
            {
                _failing[change.Seq] = firstFailure = _inheritedFailingSince ?? now;
                LogDeliveryFailing(logger, Name, change.Id, result.Error!);
            }
            _lastError = $"change {change.Id}: {result.Error}";
            if (now - firstFailure >= settings.RetryHorizon)
            {
                _paused = true;
                LogPausedAfterHorizon(logger, Name, change.Id, settings.RetryHorizon, result.Error!);
                _stop?.Cancel();
                return false;
            }
            failures++;
            try
            {
                await Task.Delay(Backoff.After(failures, settings.InitialBackoff, settings.MaxBackoff, Random.Shared.NextDouble()), time, stop);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return false;
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

    /// <summary>
    /// Writes the cursor, state and attempts. False when the row changed under it: another activation of this destination
    /// is sending (the cluster is settling a membership change), so this one stops and, at the next keep-alive ping,
    /// reloads the row and carries on from there.
    /// </summary>
    private async Task<bool> SaveAsync(long cursor, CancellationToken cancellationToken)
    {
        var row = new DestinationRow(cursor, _paused, _lastError, FailingSince, _row.Version);
        var attempts = _unsaved.ToArray();
        _unsaved.Clear();
        var trim = _attemptsSinceTrim + attempts.Length >= DestinationStore.KeptAttempts / 10;
        long? version;
        try
        {
            version = await store.SaveAsync(Name, row, _row.Version, attempts, trim, cancellationToken);
        }
        catch
        {
            // Kept for the next write, up to what the table keeps anyway.
            _unsaved.InsertRange(0, attempts.TakeLast(DestinationStore.KeptAttempts - _unsaved.Count));
            throw;
        }
        _attemptsSinceTrim = trim ? 0 : _attemptsSinceTrim + attempts.Length;
        if (version is null)
        {
            _stale = true;
            LogStale(logger, Name);
            _stop?.Cancel();
            return false;
        }
        _row = row with { Version = version.Value };
        return true;
    }

    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "Destination {Destination} sending from this silo, after cursor {Cursor}")]
    private static partial void LogSending(ILogger logger, string destination, long cursor);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Destination {Destination}: change {ChangeId} failed ({Error}); retrying with backoff")]
    private static partial void LogDeliveryFailing(ILogger logger, string destination, string changeId, string error);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Destination {Destination} paused: change {ChangeId} kept failing for {RetryHorizon} ({Error})")]
    private static partial void LogPausedAfterHorizon(ILogger logger, string destination, string changeId, TimeSpan retryHorizon, string error);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "Destination {Destination}: reading or saving failed; retrying")]
    private static partial void LogPumpFailed(ILogger logger, Exception exception, string destination);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Warning, Message = "Destination {Destination}: its row was written by another activation; reloading it")]
    private static partial void LogStale(ILogger logger, string destination);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Warning, Message = "Destination {Destination}: saving the cursor on stop failed; changes after the saved one will be sent again")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, string destination);

    [LoggerMessage(EventId = 6106, Level = LogLevel.Information, Message = "Destination {Destination} paused at cursor {Cursor}")]
    private static partial void LogPaused(ILogger logger, string destination, long cursor);

    [LoggerMessage(EventId = 6107, Level = LogLevel.Information, Message = "Destination {Destination} resumed from cursor {Cursor}")]
    private static partial void LogResumed(ILogger logger, string destination, long cursor);

    [LoggerMessage(EventId = 6108, Level = LogLevel.Information, Message = "Destination {Destination} rewound to cursor {Cursor}")]
    private static partial void LogRewound(ILogger logger, string destination, long cursor);
}
