using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.Retention;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Retention;

/// <summary>The retention job on real PostgreSQL, with a fake clock: old events and audit rows go, recent ones stay.</summary>
public sealed class RetentionJobTests(RetentionJobTests.DatabaseFixture database) : IClassFixture<RetentionJobTests.DatabaseFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly string _connectionString = database.ConnectionString;
    private readonly NpgsqlDataSource _db = database.DataSource;

    /// <summary>One database for the class; each test starts from empty tables.</summary>
    public sealed class DatabaseFixture() : ClassDatabase("webhooks_test_retention");

    public Task InitializeAsync() =>
        TestDatabase.ExecuteAsync(_connectionString, "TRUNCATE webhook_events, webhook_rejections, webhook_rejection_counts, changes, destination_state");

    public Task DisposeAsync() => Task.CompletedTask;

    private RetentionJob Job(int batchSize = 2, params string[] destinations) => new(
        _db,
        Options.Create(new RetentionOptions { Events = TimeSpan.FromDays(30), Changes = TimeSpan.FromDays(30), Rejections = TimeSpan.FromDays(7), BatchSize = batchSize, Interval = TimeSpan.FromHours(1) }),
        new FixedOptions<DestinationsOptions>(Destinations(destinations)),
        _time,
        NullLogger<RetentionJob>.Instance);

    private static DestinationsOptions Destinations(string[] names)
    {
        var options = new DestinationsOptions();
        foreach (var name in names)
        {
            options.Destinations[name] = new DestinationOptions { Url = "http://127.0.0.1:1/", Secrets = ["s"] };
        }
        return options;
    }

    private sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }

    private Task ChangeAsync(long seq, TimeSpan age) => TestDatabase.ExecuteAsync(_connectionString, """
        INSERT INTO changes (seq, kind, provider, object_id, view, event_key, at) VALUES (@seq, 'payment', 'hmac', 'pay', '{}', 'hmac:evt', @at)
        """, ("seq", seq), ("at", Now - age));

    private Task CursorAsync(string destination, long cursor) => TestDatabase.ExecuteAsync(_connectionString, """
        INSERT INTO destination_state (name, cursor) VALUES (@name, @cursor) ON CONFLICT (name) DO UPDATE SET cursor = @cursor
        """, ("name", destination), ("cursor", cursor));

    private Task<string> ChangeSeqsAsync() =>
        TestDatabase.ScalarAsync<string>(_connectionString, "SELECT coalesce(string_agg(seq::text, ',' ORDER BY seq), '') FROM changes");

    private Task EventAsync(string id, string state, TimeSpan age) => TestDatabase.ExecuteAsync(_connectionString, """
        INSERT INTO webhook_events (provider, external_id, state, received_at, recover_at, payload)
        VALUES ('hmac', @id, @state, @at, @at, '\x7b7d'::bytea)
        """, ("id", id), ("state", state), ("at", Now - age));

    private Task RejectionAsync(string reason, TimeSpan age) => TestDatabase.ExecuteAsync(_connectionString, """
        INSERT INTO webhook_rejections (at, provider, reason, status) VALUES (@at, 'hmac', @reason, 401);
        INSERT INTO webhook_rejection_counts (provider, reason, minute, count) VALUES ('hmac', @reason, date_trunc('minute', @at), 1);
        """, ("reason", reason), ("at", Now - age));

    private async Task<string[]> EventIdsAsync()
    {
        await using var command = _db.CreateCommand("SELECT external_id FROM webhook_events ORDER BY external_id");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }
        return [.. ids];
    }

    private Task<string> RejectionReasonsAsync() => TestDatabase.ScalarAsync<string>(_connectionString, """
        SELECT coalesce((SELECT string_agg(reason, ',' ORDER BY reason) FROM webhook_rejections), '') || '|' ||
               coalesce((SELECT string_agg(reason, ',' ORDER BY reason) FROM webhook_rejection_counts), '')
        """);

    [Fact]
    public async Task OldEventsAndRejectionsGo_RecentOnesAndUnfinishedEventsStay_InBatches()
    {
        for (var i = 0; i < 5; i++)
        {
            await EventAsync($"old_processed_{i}", "processed", TimeSpan.FromDays(31));
        }
        await EventAsync("old_ignored", "ignored", TimeSpan.FromDays(40));
        await EventAsync("old_failed", "failed", TimeSpan.FromDays(30.1));
        await EventAsync("old_received", "received", TimeSpan.FromDays(60));
        await EventAsync("recent_processed", "processed", TimeSpan.FromDays(29.9));
        await RejectionAsync("old", TimeSpan.FromDays(8));
        await RejectionAsync("older", TimeSpan.FromDays(20));
        await RejectionAsync("recent", TimeSpan.FromDays(6.9));

        var run = await Job(batchSize: 2).RunOnceAsync(CancellationToken.None);

        Assert.Equal(new RetentionRun(Events: 7, Changes: 0, Rejections: 4), run);
        Assert.Equal(["old_received", "recent_processed"], await EventIdsAsync());
        Assert.Equal("recent|recent", await RejectionReasonsAsync());
    }

    [Fact]
    public async Task OldChangesGo_OnlyOnceEveryConfiguredDestinationHasDeliveredThem()
    {
        for (var seq = 1; seq <= 4; seq++)
        {
            await ChangeAsync(seq, TimeSpan.FromDays(40));
        }
        await ChangeAsync(5, TimeSpan.FromDays(1));
        await ChangeAsync(6, TimeSpan.FromDays(1));
        await CursorAsync("erp", 2);
        await CursorAsync("removed", 0); // a destination no longer configured holds nothing back

        // A configured destination that has not started yet (no row) would read from the start: everything stays.
        Assert.Equal(0, (await Job(2, "erp", "crm").RunOnceAsync(CancellationToken.None))!.Changes);
        Assert.Equal("1,2,3,4,5,6", await ChangeSeqsAsync());

        // The slowest configured destination is at 2: old changes up to it go.
        Assert.Equal(2, (await Job(2, "erp").RunOnceAsync(CancellationToken.None))!.Changes);
        Assert.Equal("3,4,5,6", await ChangeSeqsAsync());

        // Once it has delivered everything, the old ones go and the recent ones stay.
        await CursorAsync("erp", 6);
        Assert.Equal(2, (await Job(2, "erp").RunOnceAsync(CancellationToken.None))!.Changes);
        Assert.Equal("5,6", await ChangeSeqsAsync());
    }

    [Fact]
    public async Task ChangesGoByNumber_SoNoGapOpensInTheMiddle_WhenAnEarlierTransactionTookALaterNumber()
    {
        await ChangeAsync(1, TimeSpan.FromDays(40));
        await ChangeAsync(2, TimeSpan.FromDays(29)); // recent, but numbered before an older one
        await ChangeAsync(3, TimeSpan.FromDays(40.5));
        await ChangeAsync(4, TimeSpan.FromDays(1));

        Assert.Equal(3, (await Job(2).RunOnceAsync(CancellationToken.None))!.Changes);
        Assert.Equal("4", await ChangeSeqsAsync());
    }

    [Fact]
    public async Task AnotherSiloRunningTheJob_RunDoesNothing()
    {
        await EventAsync("old_processed", "processed", TimeSpan.FromDays(31));
        // A session of its own (not pooled), as another silo's would be.
        await using (var other = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString))
        {
            await other.OpenAsync();
            await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", other) { Parameters = { new("key", RetentionJob.LockKey) } };
            await take.ExecuteNonQueryAsync();

            Assert.Null(await Job().RunOnceAsync(CancellationToken.None));
            Assert.Equal(["old_processed"], await EventIdsAsync());
        }
        // The other session ended, and its lock with it.
        Assert.Equal(1, (await Job().RunOnceAsync(CancellationToken.None))!.Events);
    }

    [Fact]
    public async Task RunsEveryInterval_AsTheClockMoves()
    {
        await EventAsync("ages_out", "processed", TimeSpan.FromDays(29));
        await RejectionAsync("ages_out", TimeSpan.FromDays(6));
        using var job = Job();
        await job.StartAsync(CancellationToken.None);
        try
        {
            // The first run, at start, finds nothing old enough.
            await Eventually.MatchesAsync(() => Task.FromResult(job.LastRunAt), at => at == Now, TimeSpan.FromSeconds(20), "the first run");
            Assert.Equal(["ages_out"], await EventIdsAsync());

            _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));

            await Eventually.MatchesAsync(() => Task.FromResult(job.LastRunAt), at => at > Now, TimeSpan.FromSeconds(20), "the next scheduled run");
            Assert.Empty(await EventIdsAsync());
            await Eventually.MatchesAsync(RejectionReasonsAsync, reasons => reasons == "|", TimeSpan.FromSeconds(20), "the audit rows deleted too");
        }
        finally
        {
            await job.StopAsync(CancellationToken.None);
        }
    }
}
