using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Orleans.Webhooks.Testing;
using Xunit.Abstractions;

namespace Orleans.Webhooks.EndToEnd.Tests.Console;

/// <summary>
/// Every list query and console page on a table of 1,000,000 events (seeded by SQL, not HTTP: 29 days of them, three
/// providers, four types, 2% failed), timed through HTTP on a real silo. The figures go to the test output and the
/// README; what is asserted is that each answers correctly, since speed is not asserted in tests.
/// </summary>
public sealed class LargeTableTests(ITestOutputHelper output)
{
    public const int Events = 1_000_000;

    private const string Seed = """
        INSERT INTO webhook_events (provider, external_id, provider_type, type, state, attempts, received_at, recover_at,
                                    processed_at, content_type, details, payload, objects)
        SELECT (ARRAY['stripe', 'shopify', 'hmac'])[1 + i % 3],
               'evt_' || i,
               (ARRAY['payment.completed', 'refund.processed', 'order.created', 'customer.updated'])[1 + i % 4],
               (ARRAY['payment.completed', 'refund.processed', 'order.created', 'customer.updated'])[1 + i % 4],
               CASE WHEN i % 50 = 0 THEN 'failed' WHEN i % 1000 = 1 THEN 'received' ELSE 'processed' END,
               1,
               now() - i * interval '2.5 seconds',
               now() + interval '1 day',
               CASE WHEN i % 1000 = 1 THEN NULL ELSE now() - i * interval '2.5 seconds' + interval '20 milliseconds' END,
               'application/json',
               '{}',
               convert_to('{"id":"evt_' || i || '","type":"payment.completed","data":{"id":"pay_' || (i / 2) || '","amount":1234}}', 'UTF8'),
               ARRAY['payment:pay_' || (i / 2), 'customer:cus_' || (i % 10000)]
        FROM generate_series(1, @events) AS i;
        ANALYZE webhook_events;
        """;

    [Fact]
    public async Task ListsAndPages_OnAMillionEvents_AnswerFromIndexes()
    {
        var seeding = Stopwatch.StartNew();
        await using var service = await Service.StartAsync("webhooks_test_console_large", 6700, beforeStart: async s =>
        {
            await using var connection = new Npgsql.NpgsqlConnection(s.ConnectionString);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(Seed, connection) { CommandTimeout = 600 };
            command.Parameters.AddWithValue("events", Events);
            await command.ExecuteNonQueryAsync();
        });
        output.WriteLine($"seeded {Events:N0} events and started in {seeding.Elapsed.TotalSeconds:0} s");
        Assert.Equal(Events, await TestDatabase.ScalarAsync<long>(service.ConnectionString, "SELECT count(*) FROM webhook_events"));

        var middle = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-15).ToString("O"));
        var dayStart = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-10).ToString("O"));
        var dayEnd = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-9).ToString("O"));
        var deep = JsonDocument.Parse(await service.Http.GetStringAsync($"/api/events?until={middle}&limit=1")).RootElement.GetProperty("next").GetString()!;
        var lists = new (string Path, int AtLeast)[]
        {
            ("/api/events", 50),
            ($"/api/events?after={Uri.EscapeDataString(deep)}", 50),
            ("/api/events?state=failed", 50),
            ("/api/events?state=received", 50),
            ("/api/events?provider=shopify", 50),
            ("/api/events?type=refund.processed", 50),
            ("/api/events?state=failed&provider=stripe", 50),
            ("/api/events?provider=hmac&type=order.created", 50),
            ($"/api/events?since={dayStart}&until={dayEnd}", 50),
            ("/api/events?object=pay_250000", 2),
            ("/api/events?object=cus_4242", 50),
            ("/api/events?q=evt_777777", 1),
            ("/api/events?q=pay_123456", 2),
            ("/console/", 0),
            ("/console/?state=failed&provider=stripe", 0),
            ("/console/?q=cus_4242", 0),
            ("/console/events/stripe/evt_3", 0),
            ("/console/payments/stripe/pay_1", 0),
        };
        var figures = new List<string>();
        foreach (var (path, atLeast) in lists)
        {
            using (var warm = await service.Http.GetAsync(path))
            {
                Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
                if (path.StartsWith("/api/", StringComparison.Ordinal))
                {
                    var items = JsonDocument.Parse(await warm.Content.ReadAsStringAsync()).RootElement.GetProperty("items").GetArrayLength();
                    Assert.True(items >= atLeast, $"{path} listed {items}, expected at least {atLeast}");
                }
            }
            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await service.Http.GetAsync(path);
                await response.Content.ReadAsByteArrayAsync();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            figures.Add($"| `{Uri.UnescapeDataString(path)}` | {times[2]:0} ms | {times[^1]:0} ms |");
        }
        output.WriteLine("| request | median of 5 | slowest |");
        output.WriteLine("|---|---|---|");
        foreach (var line in figures)
        {
            output.WriteLine(line);
        }
        await File.WriteAllLinesAsync(Path.Combine(Path.GetTempPath(), "webhooks-console-large-table.md"), figures);
    }
}
