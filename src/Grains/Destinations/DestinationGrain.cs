using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.ChangeLog;
using Orleans.Webhooks.Grains.Interfaces.Destinations;
using Orleans.Webhooks.Grains.Interfaces.Domain;

namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// The sender of one destination. Orleans keeps one activation of it in the cluster, and silos ping it every few seconds
/// (<see cref="DestinationKeepAlive"/>), so when its silo dies it comes back on another one and carries on from the
/// cursor it saved. Its <see cref="DestinationPump"/> reads the change log after the cursor, delivers objects in parallel
/// and each object's changes in order, in batches when the destination takes them, retries a failing change with
/// backoff, parks one that keeps failing while others go through, and pauses the destination when one keeps failing
/// past the horizon. Delivery is at least once: what was in flight when it stopped is sent again, with the same id.
/// </summary>
[KeepAlive]
internal sealed partial class DestinationGrain(
    ChangeLogReader changeLog,
    DestinationStore store,
    DestinationSender sender,
    IOptionsMonitor<DestinationsOptions> options,
    [FromKeyedServices(DestinationClock.Key)] TimeProvider time,
    ILogger<DestinationGrain> logger) : Grain, IDestinationGrain, IPumpHost
{
    private readonly List<RecordedAttempt> _unsaved = [];
    private readonly DeliveryTracker _tracker = new();
    private readonly List<Task> _retries = [];
    private DestinationRow _row = null!;
    private bool _paused;
    private int _attemptsSinceTrim;
    private bool _stale;
    private DestinationPump? _running;
    private CancellationTokenSource? _stop;
    private Task _pump = Task.CompletedTask;

    private string Name => this.GetPrimaryKeyString();

    private DestinationOptions? Settings => options.CurrentValue.Find(Name);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync();
        Start();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await StopAsync();
        await Task.WhenAll(_retries);
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
        _tracker.Load(_row.LastError, _row.FailingSince);
        _stale = false;
    }

    public async Task<DestinationStatus> GetStatusAsync()
    {
        var cursor = _running?.Cursor ?? _row.Cursor;
        var (count, seconds) = await changeLog.LagAsync(cursor, Settings?.EffectiveKinds ?? DomainKinds.All);
        return new DestinationStatus
        {
            State = _paused ? "paused" : "active",
            Cursor = cursor,
            LagChanges = count,
            LagSeconds = seconds,
            LastError = _tracker.LastError,
            FailingSince = _tracker.FailingSince,
            Parked = await store.ParkedCountAsync(Name),
        };
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> GetDeliveriesAsync(int limit)
    {
        // Attempts not yet written are the newest.
        var recent = _unsaved.AsEnumerable().Reverse().Take(limit).Select(a => a.Attempt).ToList();
        if (recent.Count < limit)
        {
            recent.AddRange(await store.AttemptsAsync(Name, limit - recent.Count));
        }
        return recent;
    }

    public Task<IReadOnlyList<ParkedChange>> GetParkedAsync(int limit) => store.ParkedAsync(Name, limit);

    public async Task<bool> RetryParkedAsync(long changeId)
    {
        if (Settings is not { } settings || await store.ParkedChangeAsync(Name, changeId) is not { } parked)
        {
            return false;
        }
        // Sent in the background: the answer can take the destination's Timeout, and the 202 means "on its way".
        _retries.RemoveAll(t => t.IsCompleted);
        _retries.Add(RetryAsync(parked.Change, settings));
        return true;
    }

    private async Task RetryAsync(Change change, DestinationOptions settings)
    {
        try
        {
            var result = await sender.SendAsync([change], settings, CancellationToken.None);
            var attempt = new DeliveryAttempt { ChangeId = change.Id, Status = result.Status, DurationMs = result.DurationMs, Error = result.Error, At = time.GetUtcNow() };
            DestinationMetrics.Posted(Name, 1, result.Delivered);
            await store.SettleParkedAsync(Name, change.Seq,
                new RecordedAttempt(attempt, result.Delivered ? AttemptOutcome.Delivered : AttemptOutcome.Failed), unpark: result.Delivered);
            LogParkedRetried(logger, Name, change.Id, result.Error ?? "delivered");
        }
        catch (Exception ex)
        {
            LogRetryFailed(logger, ex, Name, change.Id);
        }
    }

    public async Task<bool> SkipParkedAsync(long changeId)
    {
        var attempt = new DeliveryAttempt
        {
            ChangeId = changeId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Error = "skipped by an operator: not delivered",
            At = time.GetUtcNow(),
        };
        var skipped = await store.SettleParkedAsync(Name, changeId, new RecordedAttempt(attempt, AttemptOutcome.Skipped), unpark: true);
        if (skipped)
        {
            LogParkedSkipped(logger, Name, attempt.ChangeId);
        }
        return skipped;
    }

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
        _tracker.Clear();
        await SaveAsync(_row.Cursor, CancellationToken.None);
        LogResumed(logger, Name, _row.Cursor);
        Start();
    }

    public async Task RewindAsync(long cursor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cursor);
        await StopAsync();
        _tracker.Clear();
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
        _running = new DestinationPump(Name, changeLog, store, sender, _tracker, () => Settings, time, this, logger);
        _pump = _running.RunAsync(_row.Cursor, settings, _stop.Token);
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
        _running = null;
        if (_stale)
        {
            await ReloadAsync();
        }
    }

    bool IPumpHost.HasUnsaved() => _unsaved.Count > 0 || _tracker.FailingSince != _row.FailingSince;

    void IPumpHost.Record(RecordedAttempt attempt) => _unsaved.Add(attempt);

    void IPumpHost.PauseAfterHorizon()
    {
        _paused = true;
        _stop?.Cancel();
    }

    Task<bool> IPumpHost.SaveAsync(long cursor, CancellationToken cancellationToken) =>
        _stale ? Task.FromResult(false) : SaveAsync(cursor, cancellationToken);

    /// <summary>
    /// Writes the cursor, state and attempts. False when the row changed under it: another activation of this destination
    /// is sending (the cluster is settling a membership change), so this one stops and, at the next keep-alive ping,
    /// reloads the row and carries on from there.
    /// </summary>
    private async Task<bool> SaveAsync(long cursor, CancellationToken cancellationToken)
    {
        var row = new DestinationRow(cursor, _paused, _tracker.LastError, _tracker.FailingSince, _row.Version);
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

    [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "Destination {Destination}: reading or saving failed; retrying")]
    private static partial void LogPumpFailed(ILogger logger, Exception exception, string destination);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Warning, Message = "Destination {Destination}: its row was written by another activation; reloading it")]
    private static partial void LogStale(ILogger logger, string destination);

    [LoggerMessage(EventId = 6106, Level = LogLevel.Information, Message = "Destination {Destination} paused at cursor {Cursor}")]
    private static partial void LogPaused(ILogger logger, string destination, long cursor);

    [LoggerMessage(EventId = 6107, Level = LogLevel.Information, Message = "Destination {Destination} resumed from cursor {Cursor}")]
    private static partial void LogResumed(ILogger logger, string destination, long cursor);

    [LoggerMessage(EventId = 6108, Level = LogLevel.Information, Message = "Destination {Destination} rewound to cursor {Cursor}")]
    private static partial void LogRewound(ILogger logger, string destination, long cursor);

    [LoggerMessage(EventId = 6110, Level = LogLevel.Information, Message = "Destination {Destination}: parked change {ChangeId} sent again by an operator: {Result}")]
    private static partial void LogParkedRetried(ILogger logger, string destination, string changeId, string result);

    [LoggerMessage(EventId = 6111, Level = LogLevel.Information, Message = "Destination {Destination}: parked change {ChangeId} skipped by an operator")]
    private static partial void LogParkedSkipped(ILogger logger, string destination, string changeId);

    [LoggerMessage(EventId = 6112, Level = LogLevel.Error, Message = "Destination {Destination}: sending parked change {ChangeId} again failed to be recorded")]
    private static partial void LogRetryFailed(ILogger logger, Exception exception, string destination, string changeId);
}
