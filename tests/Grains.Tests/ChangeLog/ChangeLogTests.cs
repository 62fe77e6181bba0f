using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.Webhooks.Grains.ChangeLog;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Storage;
using Orleans.Webhooks.Grains.Storage.Postgres;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.ChangeLog;

/// <summary>
/// The change log on real PostgreSQL, through its writer (as the group-commit storage runs it with grain states) and
/// its reader (as destinations and the web API's feed read it).
/// </summary>
public sealed class ChangeLogTests(ChangeLogTests.DatabaseFixture database) : IClassFixture<ChangeLogTests.DatabaseFixture>, IAsyncLifetime
{
    private readonly NpgsqlDataSource _db = database.DataSource;
    private readonly ChangeLogReader _reader = new(database.DataSource);
    private GroupCommitGrainStorage _storage = null!;

    /// <summary>One database for the class; each test starts from an empty log.</summary>
    public sealed class DatabaseFixture() : ClassDatabase("webhooks_test_changelog");

    public sealed class Viewed : IViewChangeSource
    {
        public int Value { get; set; }

        [JsonIgnore]
        public List<ViewChange> Pending { get; } = [];

        [JsonIgnore]
        public IReadOnlyList<ViewChange> PendingChanges => Pending;
    }

    private sealed class ViewedState : IGrainState<Viewed>
    {
        public Viewed? State { get; set; } = new();
        public string? ETag { get; set; }
        public bool RecordExists { get; set; }
    }

    public async Task InitializeAsync()
    {
        await TestDatabase.ExecuteAsync(database.ConnectionString, "TRUNCATE changes, domain_views, grain_state; UPDATE change_counter SET last_seq = 0");
        _storage = new GroupCommitGrainStorage(_db, new StorageOptions(), NullLogger<GroupCommitGrainStorage>.Instance);
    }

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    private static ViewChange ViewChangeOf(string kind, string id, decimal amount) => new(
        kind, "hmac", id, "completed", JsonSerializer.Serialize(new { provider = "hmac", id, amount }),
        new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero), $"hmac:evt_{id}_{amount}", "payment.completed");

    private Task WriteAsync(string kind, string id, ViewedState state, ViewChange? change) =>
        WriteAsync(kind, id, state, change is null ? [] : [change]);

    private async Task WriteAsync(string kind, string id, ViewedState state, IReadOnlyList<ViewChange> changes)
    {
        var viewed = state.State!;
        viewed.Value++;
        viewed.Pending.AddRange(changes);
        try
        {
            await _storage.WriteStateAsync(kind, GrainId.Create(kind, "hmac:" + id), state);
        }
        finally
        {
            viewed.Pending.Clear();
        }
    }

    [Fact]
    public async Task StateWrites_AppendTheirChangesNumberedWithoutGaps_AndUpdateTheCurrentView()
    {
        var states = Enumerable.Range(0, 40).Select(_ => new ViewedState()).ToArray();

        // Written concurrently, so that the group commit puts many of them in one statement.
        await Task.WhenAll(states.Select((s, i) => WriteAsync(DomainKinds.Payment, $"pay_{i}", s, ViewChangeOf(DomainKinds.Payment, $"pay_{i}", i))));
        await WriteAsync(DomainKinds.Payment, "pay_7", states[7], ViewChangeOf(DomainKinds.Payment, "pay_7", 700));
        await WriteAsync(DomainKinds.Payment, "pay_8", states[8], change: null);

        var changes = await _reader.ReadAsync(0, 100, kinds: null, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 41).Select(n => (long)n), changes.Select(c => c.Seq));
        var last = changes[^1];
        Assert.Equal((DomainKinds.Payment, "hmac", "pay_7", "hmac:evt_pay_7_700", "payment.completed"), (last.Kind, last.Provider, last.ObjectId, last.EventKey, last.EventType));
        Assert.Equal(700m, JsonDocument.Parse(last.View!).RootElement.GetProperty("amount").GetDecimal());
        Assert.Equal(
            ("700", 41L, "completed"),
            await ViewAsync(DomainKinds.Payment, "pay_7"));
        Assert.Equal(((long?)1, 41L), await _reader.BoundsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AWriteCarryingSeveralChangesOfItsObject_AppendsThemInOrder_AndTheViewIsTheLast()
    {
        var states = Enumerable.Range(0, 3).Select(_ => new ViewedState()).ToArray();

        // Concurrent, so that the writes may share a statement (the object with two changes then sits between the others);
        // cus_b's two changes share its one write whatever the batching.
        await Task.WhenAll(
            WriteAsync(DomainKinds.Customer, "cus_a", states[0], ViewChangeOf(DomainKinds.Customer, "cus_a", 1)),
            WriteAsync(DomainKinds.Customer, "cus_b", states[1], [ViewChangeOf(DomainKinds.Customer, "cus_b", 2), ViewChangeOf(DomainKinds.Customer, "cus_b", 3)]),
            WriteAsync(DomainKinds.Customer, "cus_c", states[2], ViewChangeOf(DomainKinds.Customer, "cus_c", 4)));

        var changes = await _reader.ReadAsync(0, 100, kinds: null, CancellationToken.None);
        Assert.Equal([1L, 2L, 3L, 4L], changes.Select(c => c.Seq));
        var ofB = changes.Where(c => c.ObjectId == "cus_b").ToArray();
        Assert.Equal(["hmac:evt_cus_b_2", "hmac:evt_cus_b_3"], ofB.Select(c => c.EventKey));
        Assert.Equal(ofB[0].Seq + 1, ofB[1].Seq);
        var (amount, lastChange, _) = await ViewAsync(DomainKinds.Customer, "cus_b");
        Assert.Equal(("3", ofB[1].Seq), (amount, lastChange));
    }

    [Fact]
    public async Task AWriteFromAStaleActivation_AppendsNothing()
    {
        var first = new ViewedState();
        await WriteAsync(DomainKinds.Order, "ord_1", first, ViewChangeOf(DomainKinds.Order, "ord_1", 1));
        var stale = new ViewedState { ETag = first.ETag, RecordExists = true };
        await WriteAsync(DomainKinds.Order, "ord_1", first, ViewChangeOf(DomainKinds.Order, "ord_1", 2));

        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(DomainKinds.Order, "ord_1", stale, ViewChangeOf(DomainKinds.Order, "ord_1", 3)));

        var changes = await _reader.ReadAsync(0, 100, kinds: null, CancellationToken.None);
        Assert.Equal([1L, 2L], changes.Select(c => c.Seq));
        Assert.Equal(("2", 2L, "completed"), await ViewAsync(DomainKinds.Order, "ord_1"));
    }

    [Fact]
    public async Task ReadWithKinds_CarriesTheViewsOfThoseKindsOnly_AndLagCountsThem()
    {
        string[] kinds = [DomainKinds.Payment, DomainKinds.Order, DomainKinds.Customer, DomainKinds.Payment];
        for (var i = 0; i < kinds.Length; i++)
        {
            await WriteAsync(kinds[i], $"obj_{i}", new ViewedState(), ViewChangeOf(kinds[i], $"obj_{i}", i));
        }

        var changes = await _reader.ReadAsync(1, 2, [DomainKinds.Customer], CancellationToken.None);

        Assert.Equal([(2L, DomainKinds.Order, false), (3L, DomainKinds.Customer, true)], changes.Select(c => (c.Seq, c.Kind, c.View is not null)));
        var (count, seconds) = await _reader.LagAsync(1, [DomainKinds.Payment]);
        Assert.Equal(1, count);
        Assert.True(seconds >= 0);
        Assert.Equal(0, (await _reader.LagAsync(4, DomainKinds.All)).Count);
    }

    /// <summary>The current view's amount (as JSON text), the change that last set it, and its status.</summary>
    private async Task<(string Amount, long LastChange, string? Status)> ViewAsync(string kind, string id)
    {
        await using var command = _db.CreateCommand("SELECT view ->> 'amount', last_change, status FROM domain_views WHERE kind = @kind AND provider = 'hmac' AND object_id = @id");
        command.Parameters.Add(new NpgsqlParameter<string>("kind", kind));
        command.Parameters.Add(new NpgsqlParameter<string>("id", id));
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no current view of {kind} {id}");
        return (reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }
}
