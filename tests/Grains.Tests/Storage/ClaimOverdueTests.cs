using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Webhooks.Grains.Storage;
using Orleans.Webhooks.Grains.Storage.Postgres;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Storage;

/// <summary>The recovery sweep's claim on PostgreSQL, on a database of its own (no silo sweeps it meanwhile).</summary>
public sealed class ClaimOverdueTests
{
    [Fact]
    public async Task Early_TakesEventsWhoseRecoveryTimeComesWithinIt_AndPushesThemForward()
    {
        var connectionString = await TestDatabase.CreateAsync("webhooks_test_claim_overdue");
        await TestDatabase.ExecuteAsync(connectionString, """
            INSERT INTO webhook_events (provider, external_id, provider_type, type, received_at, recover_at, details, payload) VALUES
              ('test', 'overdue', 'payment.completed', 'payment.completed', now() - interval '31 seconds', now() - interval '1 second', '{}', '\x7b7d'),
              ('test', 'ten_seconds_old', 'payment.completed', 'payment.completed', now() - interval '10 seconds', now() + interval '20 seconds', '{}', '\x7b7d'),
              ('test', 'one_second_old', 'payment.completed', 'payment.completed', now() - interval '1 second', now() + interval '29 seconds', '{}', '\x7b7d')
            """);
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var store = new EventStore(db, new StorageOptions(), TimeSpan.FromSeconds(30), NullLogger<EventStore>.Instance);

        var due = await store.ClaimOverdueAsync(10, TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(["overdue"], due.Select(e => e.ExternalId));

        // 25 s early takes what was received 5 s ago or more; the one just claimed is 30 s away again.
        var early = await store.ClaimOverdueAsync(10, TimeSpan.FromSeconds(25), CancellationToken.None);
        Assert.Equal(["ten_seconds_old"], early.Select(e => e.ExternalId));

        Assert.Empty(await store.ClaimOverdueAsync(10, TimeSpan.FromSeconds(25), CancellationToken.None));

        // Six seconds on, the next early claim takes what has become 5 s old since, and leaves what an early claim took
        // to the run that took it (pushed forward by the delay plus the early part). What a usual claim took before
        // the window opened is not protected so: it may run twice, which domain grains make harmless.
        await TestDatabase.ExecuteAsync(connectionString, "UPDATE webhook_events SET recover_at = recover_at - interval '6 seconds'");
        var later = await store.ClaimOverdueAsync(10, TimeSpan.FromSeconds(25), CancellationToken.None);
        Assert.Equal(["one_second_old", "overdue"], later.Select(e => e.ExternalId).Order(StringComparer.Ordinal));
    }
}
