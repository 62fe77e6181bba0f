using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.Webhooks.Grains.Storage;
using Orleans.Webhooks.Grains.Storage.Postgres;

namespace Orleans.Webhooks.Grains.Tests.Storage;

/// <summary>The group-commit storage against PostgreSQL: what any Orleans grain storage must guarantee.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupCommitGrainStorageTests(ClusterFixture fixture) : IAsyncLifetime
{
    private NpgsqlDataSource _db = null!;
    private GroupCommitGrainStorage _storage = null!;

    public sealed class Counter
    {
        public int Value { get; set; }
    }

    private sealed class CounterState : IGrainState<Counter>
    {
        public Counter? State { get; set; } = new();
        public string? ETag { get; set; }
        public bool RecordExists { get; set; }
    }

    public Task InitializeAsync()
    {
        _db = NpgsqlDataSource.Create(fixture.ConnectionString);
        _storage = new GroupCommitGrainStorage(_db, new StorageOptions(), NullLogger<GroupCommitGrainStorage>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _storage.DisposeAsync();
        await _db.DisposeAsync();
    }

    private static GrainId NewGrain() => GrainId.Create("counter", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task WriteThenRead_RoundTripsStateAndETag()
    {
        var grain = NewGrain();
        var fresh = new CounterState();
        await _storage.ReadStateAsync("counter", grain, fresh);
        Assert.False(fresh.RecordExists);

        fresh.State!.Value = 7;
        await _storage.WriteStateAsync("counter", grain, fresh);
        var read = new CounterState();
        await _storage.ReadStateAsync("counter", grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(7, read.State!.Value);
        Assert.Equal(fresh.ETag, read.ETag);
    }

    [Fact]
    public async Task TwoActivationsWritingFromTheSameRead_SecondGetsInconsistentState()
    {
        var grain = NewGrain();
        var first = new CounterState();
        await _storage.WriteStateAsync("counter", grain, first);
        var a = new CounterState();
        var b = new CounterState();
        await _storage.ReadStateAsync("counter", grain, a);
        await _storage.ReadStateAsync("counter", grain, b);

        a.State!.Value = 1;
        await _storage.WriteStateAsync("counter", grain, a);
        b.State!.Value = 2;

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("counter", grain, b));
        var read = new CounterState();
        await _storage.ReadStateAsync("counter", grain, read);
        Assert.Equal(1, read.State!.Value);
    }

    [Fact]
    public async Task TwoFirstWritesOfOneGrain_OnlyOneWins()
    {
        var grain = NewGrain();

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            try
            {
                await _storage.WriteStateAsync("counter", grain, new CounterState { State = new Counter { Value = i } });
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Equal(1, results.Count(ok => ok));
    }

    [Fact]
    public async Task ManyConcurrentWrites_AllCommittedWithOwnState()
    {
        var grains = Enumerable.Range(0, 300).Select(_ => NewGrain()).ToArray();

        await Task.WhenAll(grains.Select((g, i) => _storage.WriteStateAsync("counter", g, new CounterState { State = new Counter { Value = i } })));

        var reads = await Task.WhenAll(grains.Select(async g =>
        {
            var state = new CounterState();
            await _storage.ReadStateAsync("counter", g, state);
            return state.State!.Value;
        }));
        Assert.Equal(Enumerable.Range(0, 300), reads);
    }

    [Fact]
    public async Task AWriteThatCannotBeStored_FailsAlone_TheOthersOfItsBatchCommit()
    {
        var good = Enumerable.Range(0, 60).Select(_ => (Grain: NewGrain(), State: new CounterState { State = new Counter { Value = 3 } })).ToArray();
        var poison = GrainId.Create("counter", "bad\0" + Guid.NewGuid().ToString("N")); // PostgreSQL text cannot hold a NUL

        var writes = good.Take(30).Select(g => _storage.WriteStateAsync("counter", g.Grain, g.State)).ToList();
        var refused = _storage.WriteStateAsync("counter", poison, new CounterState { State = new Counter { Value = 1 } });
        writes.AddRange(good.Skip(30).Select(g => _storage.WriteStateAsync("counter", g.Grain, g.State)));

        var error = await Assert.ThrowsAsync<PostgresException>(() => refused);
        Assert.True(StorageFailures.IsUnstorable(error), error.SqlState);
        await Task.WhenAll(writes);
        foreach (var (grain, _) in good)
        {
            var read = new CounterState();
            await _storage.ReadStateAsync("counter", grain, read);
            Assert.Equal(3, read.State!.Value);
        }
    }
}
