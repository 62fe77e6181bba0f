using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Storage;
using Orleans.Webhooks.Grains.Storage.Postgres;
using Orleans.Webhooks.Grains.Telemetry;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Storage;

/// <summary>
/// The event table's group commit on PostgreSQL when one event in a batch cannot be written: it alone fails, and every
/// other event of the batch gets the answer it would have had alone.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class EventStoreIsolationTests(ClusterFixture fixture) : IAsyncLifetime
{
    private NpgsqlDataSource _db = null!;
    private EventStore _store = null!;

    public Task InitializeAsync()
    {
        _db = NpgsqlDataSource.Create(fixture.ConnectionString);
        // One insert worker, so that what queues while it is busy goes out as one batch.
        _store = new EventStore(_db, new StorageOptions { InsertWorkers = 1 }, TimeSpan.FromMinutes(10), NullLogger<EventStore>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task OneUnstorableEventInABatchOfFifty_FortyNineAnsweredAsAlone_TheOneRefused()
    {
        var duplicate = Events.Incoming(Events.NewId("dup"), EventTypes.PaymentCompleted, EventDetails.Empty);
        Assert.True(await _store.InsertAsync(duplicate));
        var batchSizes = new ConcurrentQueue<int>();
        using var listener = ListenToBatchSizes(batchSizes);

        // Hold the only insert worker: its insert waits on a key that an open transaction has inserted.
        var blocker = Events.Incoming(Events.NewId("block"), null, EventDetails.Empty);
        await using var holder = await _db.OpenConnectionAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("INSERT INTO webhook_events (provider, external_id, received_at, recover_at, payload) VALUES (@p, @x, now(), now(), '')", holder, transaction))
        {
            hold.Parameters.AddWithValue("p", blocker.Provider);
            hold.Parameters.AddWithValue("x", blocker.ExternalId);
            await hold.ExecuteNonQueryAsync();
        }
        var blocked = _store.InsertAsync(blocker);
        await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<long>(fixture.ConnectionString,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO webhook_events%unnest%'"),
            waiting => waiting == 1, because: "the worker's insert waits on the held key");

        // 50 events queue behind it: 48 new, one already stored, one whose key PostgreSQL cannot hold (a NUL).
        var poison = Events.Incoming("poison\0" + Guid.NewGuid().ToString("N"), EventTypes.PaymentCompleted, EventDetails.Empty);
        var batch = Enumerable.Range(0, 48).Select(_ => Events.Incoming(Events.NewId("evt"), EventTypes.PaymentCompleted, EventDetails.Empty)).ToList();
        batch.Insert(17, poison);
        batch.Insert(33, duplicate);
        var answers = batch.Select(e => Answer(_store.InsertAsync(e))).ToArray();
        await transaction.CommitAsync();

        Assert.False(await blocked); // already stored by the transaction that held it
        var results = await Task.WhenAll(answers);
        Assert.Contains(50, batchSizes); // the fifty went out as one batch first
        for (var i = 0; i < batch.Count; i++)
        {
            if (i == 17)
            {
                var error = Assert.IsType<PostgresException>(results[i].Error);
                Assert.True(StorageFailures.IsUnstorable(error), error.SqlState);
            }
            else
            {
                Assert.Null(results[i].Error);
                Assert.Equal(i != 33, results[i].Stored); // as alone: new events stored, the duplicate not again
            }
        }
        var stored = await TestDatabase.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM webhook_events WHERE external_id = ANY(@ids)", ("ids", batch.Where(e => e != poison).Select(e => e.ExternalId).ToArray()));
        Assert.Equal(49, stored);
    }

    [Fact]
    public async Task DerivedTextWithNul_IsStoredEscaped_TheRawBodyByteForByte()
    {
        var payload = Encoding.UTF8.GetBytes("{\"id\":\"evt\",\"name\":\"a\\u0000b\",\"raw\":\"\0\"}");
        var incoming = Events.Incoming(Events.NewId("evt"), "customer.updated", new EventDetails { ObjectId = Events.NewId("cus"), Name = "a\0b" }) with
        {
            ProviderType = "customer\0updated",
            ContentType = "application/json; x=\0",
            Payload = payload,
        };

        Assert.True(await _store.InsertAsync(incoming));
        await _store.RecordOutcomeAsync(new EventOutcome(incoming.Provider, incoming.ExternalId, EventStates.Failed, 1, "handler said \0", DateTimeOffset.UtcNow));

        await using var command = _db.CreateCommand(
            "SELECT provider_type, content_type, details->>'name', last_error, payload FROM webhook_events WHERE provider = @p AND external_id = @x");
        command.Parameters.AddWithValue("p", incoming.Provider);
        command.Parameters.AddWithValue("x", incoming.ExternalId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("customer\\u0000updated", reader.GetString(0));
        Assert.Equal("application/json; x=\\u0000", reader.GetString(1));
        Assert.Equal("a\\u0000b", reader.GetString(2));
        Assert.Equal("handler said \\u0000", reader.GetString(3));
        Assert.Equal(payload, reader.GetFieldValue<byte[]>(4));
    }

    private static async Task<(bool Stored, Exception? Error)> Answer(Task<bool> insert)
    {
        try
        {
            return (await insert, null);
        }
        catch (Exception ex)
        {
            return (false, ex);
        }
    }

    private static MeterListener ListenToBatchSizes(ConcurrentQueue<int> sizes)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == WebhookMetrics.BatchSize.Name && instrument.Meter.Name == WebhookMetrics.BatchSize.Meter.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => sizes.Enqueue(value));
        listener.Start();
        return listener;
    }
}
