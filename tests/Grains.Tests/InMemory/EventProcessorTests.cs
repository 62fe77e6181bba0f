using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Processing;

namespace Orleans.Webhooks.Grains.Tests.InMemory;

/// <summary>The run-retry-record loop alone: a scripted dispatcher and the in-memory store, no cluster.</summary>
public sealed class EventProcessorTests
{
    private const int MaxAttempts = 3;

    private readonly InMemoryEventStore _store = new(TimeSpan.FromMinutes(1), TimeProvider.System);

    private async Task<EventView> RunAsync(Func<int, DispatchResult> dispatch)
    {
        var incoming = Events.Incoming(Events.NewId("evt"), EventTypes.CustomerUpdated, new EventDetails { ObjectId = Events.NewId("cus") });
        await _store.InsertAsync(incoming);
        var processor = new EventProcessor(
            new ScriptedDispatcher(dispatch), _store, Options.Create(new ProcessingOptions { MaxAttempts = MaxAttempts, InitialBackoff = TimeSpan.Zero }),
            TimeProvider.System, NullLogger<EventProcessor>.Instance);
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

    /// <summary>Answers each attempt (1, 2, ...) as the test's script says.</summary>
    private sealed class ScriptedDispatcher(Func<int, DispatchResult> script) : IEventDispatcher
    {
        private int _attempts;

        public Task<DispatchResult> DispatchAsync(WebhookEvent evt) => Task.FromResult(script(Interlocked.Increment(ref _attempts)));
    }
}
