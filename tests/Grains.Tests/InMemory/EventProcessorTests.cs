using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Processing;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.InMemory;

/// <summary>The run-retry-record loop alone: a scripted dispatcher and the in-memory store, no cluster.</summary>
public sealed class EventProcessorTests
{
    private const int MaxAttempts = 3;

    private readonly InMemoryEventStore _store = new(TimeSpan.FromMinutes(1), TimeProvider.System);

    private async Task<EventView> RunAsync(Func<int, DispatchResult> dispatch, ProcessingOptions? options = null, TimeProvider? time = null)
    {
        var incoming = Events.Incoming(Events.NewId("evt"), EventTypes.CustomerUpdated, new EventDetails { ObjectId = Events.NewId("cus") });
        await _store.InsertAsync(incoming);
        var processor = new EventProcessor(
            new ScriptedDispatcher(dispatch), _store, Options.Create(options ?? new ProcessingOptions { MaxAttempts = MaxAttempts, InitialBackoff = TimeSpan.Zero }),
            time ?? TimeProvider.System, NullLogger<EventProcessor>.Instance);
        var evt = Events.Stored(incoming.ExternalId, EventTypes.CustomerUpdated, incoming.Details);

        await processor.RunAsync(evt);

        return (await _store.GetAsync(evt.Provider, evt.ExternalId))!;
    }

    [Fact]
    public async Task HandlerFailsTwiceThenSucceeds_ProcessedAfterThreeAttempts()
    {
        var view = await RunAsync(attempt => attempt < 3 ? throw new InvalidOperationException("ERP unavailable") : DispatchResult.Processed);

        Assert.Equal((EventStates.Processed, 3), (view.State, view.Attempts));
    }

    [Fact]
    public async Task HandlerAlwaysFails_FailedAfterMaxAttemptsWithTheLastError()
    {
        var view = await RunAsync(attempt => throw new InvalidOperationException($"ERP unavailable {attempt}"));

        Assert.Equal((EventStates.Failed, MaxAttempts), (view.State, view.Attempts));
        Assert.Equal("InvalidOperationException: ERP unavailable 3", view.LastError);
    }

    [Fact]
    public async Task OutageOutlastsTheAttempts_StaysReceivedForTheSweep()
    {
        var view = await RunAsync(_ => throw new TimeoutException("the payment grain did not answer"));

        Assert.Equal((EventStates.Received, MaxAttempts), (view.State, view.Attempts));
        Assert.Contains("did not answer", view.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneAttemptAllowed_FailsWithoutRetrying()
    {
        var view = await RunAsync(attempt => throw new InvalidOperationException($"ERP unavailable {attempt}"), new ProcessingOptions { MaxAttempts = 1 });

        Assert.Equal((EventStates.Failed, 1), (view.State, view.Attempts));
    }

    /// <summary>The waits between attempts are on the processor's clock: 1 s, then doubling, capped at MaxBackoff.</summary>
    [Fact]
    public async Task FailingHandler_WaitsTheBackoffOnItsClock_DoublingUpToTheMax()
    {
        var time = new TimerCountingTime();
        var attempts = 0;
        var run = RunAsync(
            attempt =>
            {
                Volatile.Write(ref attempts, attempt);
                return attempt < 4 ? throw new InvalidOperationException("ERP unavailable") : DispatchResult.Processed;
            },
            new ProcessingOptions { MaxAttempts = 5, InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(3) },
            time);
        // Attempt n failed and its wait is on the clock.
        Task FailedAndWaitingAsync(int attempt) => Eventually.MatchesAsync(
            () => Task.FromResult((Volatile.Read(ref attempts), time.Timers)), a => a == (attempt, attempt), TimeSpan.FromSeconds(10), $"attempt {attempt} waiting");

        await FailedAndWaitingAsync(1);
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(1, Volatile.Read(ref attempts));
        time.Advance(TimeSpan.FromMilliseconds(1));
        await FailedAndWaitingAsync(2);
        time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Equal(2, Volatile.Read(ref attempts));
        time.Advance(TimeSpan.FromMilliseconds(1));
        await FailedAndWaitingAsync(3);
        time.Advance(TimeSpan.FromSeconds(3)); // 4 s doubled, 3 s capped
        var view = await run;

        Assert.Equal((EventStates.Processed, 4), (view.State, view.Attempts));
    }

    [Fact]
    public async Task PermanentFailure_FailsAtOnce()
    {
        var view = await RunAsync(_ => throw new PermanentProcessingException("no customer id"));

        Assert.Equal((EventStates.Failed, 1), (view.State, view.Attempts));
    }

    [Fact]
    public async Task NoHandler_IgnoredAfterOneAttempt()
    {
        var view = await RunAsync(_ => DispatchResult.Ignored);

        Assert.Equal((EventStates.Ignored, 1), (view.State, view.Attempts));
    }

    /// <summary>A fake clock that counts the timers set on it (each wait between attempts sets one).</summary>
    private sealed class TimerCountingTime : FakeTimeProvider
    {
        private int _timers;

        public int Timers => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timers);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    /// <summary>Answers each attempt (1, 2, ...) as the test's script says.</summary>
    private sealed class ScriptedDispatcher(Func<int, DispatchResult> script) : IEventDispatcher
    {
        private int _attempts;

        public Task<DispatchResult> DispatchAsync(WebhookEvent evt) => Task.FromResult(script(Interlocked.Increment(ref _attempts)));
    }
}
