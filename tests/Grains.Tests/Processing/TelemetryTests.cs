using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Interfaces.Telemetry;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Processing;

[Collection(ClusterCollection.Name)]
public sealed class TelemetryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ProcessingAnEvent_RecordsBatchSizeAndProcessedRun()
    {
        var measurements = new ConcurrentBag<(string Instrument, long Value, string? Outcome)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == WebhookMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, Outcome(tags))));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, Outcome(tags))));
        listener.Start();

        var incoming = Events.Incoming(Events.NewId("evt"), EventTypes.CustomerUpdated, new EventDetails { ObjectId = Events.NewId("cus"), Email = "a@example.com" });
        await fixture.Client.GetGrain<IEventGrain>(incoming.Key).AcceptAsync(incoming);
        await Eventually.MatchesAsync(() => Task.FromResult(measurements.ToArray()), m => m.Any(x => x.Instrument == "webhooks.processing.runs" && x.Outcome == "processed"));

        Assert.Contains(measurements, m => m.Instrument == "webhooks.store.batch_size" && m.Value >= 1);
    }

    private static string? Outcome(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "outcome")
            {
                return tag.Value?.ToString();
            }
        }
        return null;
    }
}
