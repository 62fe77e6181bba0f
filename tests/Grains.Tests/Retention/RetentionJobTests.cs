using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
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
    public sealed class DatabaseFixture : IAsyncLifetime
    {
        public string ConnectionString { get; private set; } = null!;

        public NpgsqlDataSource DataSource { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            ConnectionString = await TestDatabase.CreateAsync("webhooks_test_retention");
            DataSource = NpgsqlDataSource.Create(ConnectionString);
        }

        public async Task DisposeAsync() => await DataSource.DisposeAsync();
    }

    public Task InitializeAsync() =>
        TestDatabase.ExecuteAsync(_connectionString, "TRUNCATE webhook_events, webhook_rejections, webhook_rejection_counts");

    public Task DisposeAsync() => Task.CompletedTask;

    private RetentionJob Job(int batchSize = 2) => new(
        _db,
        Options.Create(new RetentionOptions { Events = TimeSpan.FromDays(30), Rejections = TimeSpan.FromDays(7), BatchSize = batchSize, Interval = TimeSpan.FromHours(1) }),
        _time,
        NullLogger<RetentionJob>.Instance);

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

        Assert.Equal(new RetentionRun(Events: 7, Rejections: 4), run);
        Assert.Equal(["old_received", "recent_processed"], await EventIdsAsync());
        Assert.Equal("recent|recent", await RejectionReasonsAsync());
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
