using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Interfaces.Telemetry;
using Orleans.Webhooks.Grains.Processing;
using Orleans.Webhooks.Grains.Storage;
using Orleans.Webhooks.Grains.Storage.Postgres;
using Orleans.Webhooks.Grains.Tests.InMemory;

namespace Orleans.Webhooks.Grains.Tests.Processing;

/// <summary>
/// Our meter is process-wide and other tests process events at the same time, so each test counts only measurements made
/// in its own execution flow: it marks the flow, and the store and processor it creates record within it (a batcher's
/// workers start in the flow of the store's constructor and keep it).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TelemetryTests(ClusterFixture fixture)
{
    private static readonly AsyncLocal<string?> Flow = new();

    [Fact]
    public async Task StoringEvents_EveryRowCountedInTheBatchSizes()
    {
        using var measurements = new FlowMeasurements(Flow);
        await using var db = NpgsqlDataSource.Create(fixture.ConnectionString);
        await using var store = new EventStore(db, new StorageOptions(), TimeSpan.FromMinutes(1), NullLogger<EventStore>.Instance);

        var stored = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            store.InsertAsync(Events.Incoming(Events.NewId("evt"), EventTypes.CustomerUpdated, new EventDetails { ObjectId = Events.NewId("cus") }))));

        Assert.All(stored, Assert.True);
        Assert.Equal(20, measurements.Of("webhooks.store.batch_size").Sum(m => m.Value));
    }

    [Fact]
    public async Task ProcessingRuns_CountedOncePerRunByOutcome()
    {
        using var measurements = new FlowMeasurements(Flow);
        var processor = new EventProcessor(
            new OutcomeByTypeDispatcher(), new InMemoryEventStore(TimeSpan.FromMinutes(1), TimeProvider.System), Options.Create(new ProcessingOptions { MaxAttempts = 1 }), TimeProvider.System, NullLogger<EventProcessor>.Instance);

        foreach (var type in new[] { EventTypes.CustomerUpdated, "invoice.paid", EventTypes.PaymentCompleted })
        {
            await processor.RunAsync(Events.Stored(Events.NewId("evt"), type, EventDetails.Empty));
        }

        var runs = measurements.Of("webhooks.processing.runs");
        Assert.Equal(["failed", "ignored", "processed"], runs.Select(m => m.Outcome).Order(StringComparer.Ordinal));
        Assert.All(runs, m => Assert.Equal(1, m.Value));
    }

    /// <summary>Processes customer updates, ignores unknown types, fails anything else at once.</summary>
    private sealed class OutcomeByTypeDispatcher : IEventDispatcher
    {
        public Task<DispatchResult> DispatchAsync(WebhookEvent evt) => evt.Type switch
        {
            EventTypes.CustomerUpdated => Task.FromResult(DispatchResult.Processed),
            EventTypes.PaymentCompleted => throw new PermanentProcessingException("no payment id"),
            _ => Task.FromResult(DispatchResult.Ignored),
        };
    }

    /// <summary>Listens to our meter and keeps the measurements made in the flow that created it.</summary>
    private sealed class FlowMeasurements : IDisposable
    {
        private readonly string _flow = Guid.NewGuid().ToString("N");
        private readonly AsyncLocal<string?> _current;
        private readonly ConcurrentQueue<(string Instrument, long Value, string? Outcome)> _seen = new();
        private readonly MeterListener _listener = new();

        public FlowMeasurements(AsyncLocal<string?> current)
        {
            _current = current;
            current.Value = _flow;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MetricNames.Meter)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.Start();
        }

        public IReadOnlyList<(string Instrument, long Value, string? Outcome)> Of(string instrument) =>
            _seen.Where(m => m.Instrument == instrument).ToList();

        private void Add(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (_current.Value != _flow)
            {
                return;
            }
            string? outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    outcome = tag.Value?.ToString();
                }
            }
            _seen.Enqueue((instrument.Name, value, outcome));
        }

        public void Dispose() => _listener.Dispose();
    }
}
