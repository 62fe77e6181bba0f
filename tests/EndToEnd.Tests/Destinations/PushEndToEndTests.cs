using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Destinations;

/// <summary>Push from the real programs (silos and web API) to a receiver in the test process, configured as an operator would.</summary>
public sealed class PushEndToEndTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Secret = "e2e-push-secret";

    private static string Id(long seq) => seq.ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Destination(PushReceiver receiver, Dictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["Webhooks__Destinations__odoo__Url"] = receiver.Url,
            ["Webhooks__Destinations__odoo__Secrets__0"] = receiver.Secret,
            ["Webhooks__Destinations__odoo__Secrets__1"] = "retired-push-secret",
            ["Webhooks__Destinations__odoo__InitialBackoff"] = "00:00:00.200",
            ["Webhooks__Destinations__odoo__MaxBackoff"] = "00:00:01",
            ["Logging__LogLevel__Orleans.Webhooks.Grains.Destinations"] = "Information",
        };
        foreach (var (key, value) in extra ?? [])
        {
            environment[key] = value;
        }
        return environment;
    }

    [Fact]
    public async Task DestinationRoutes_ShowStateCursorLagAndAttempts_PauseResumeRewindAnswer202()
    {
        await using var odoo = await PushReceiver.StartAsync(TestPorts.Of(8040), Secret);
        await using var service = await Service.StartAsync("webhooks_test_push_api", 8000, environment: Destination(odoo));
        var seqs = await ChangeLog.AppendAsync(service.ConnectionString, ChangeLog.Spread("api", 20, 4));
        await Eventually.MatchesAsync(() => Task.FromResult(odoo.Delivered.Count), n => n == 20, TimeSpan.FromSeconds(60), "20 changes delivered");

        var list = (await Eventually.MatchesAsync(() => service.GetJsonAsync("/api/destinations"),
            l => l is { } found && found[0].GetProperty("cursor").GetString() == Id(seqs[^1]), TimeSpan.FromSeconds(30), "the cursor at the last change"))!.Value;
        var destination = Assert.Single(list.EnumerateArray());
        Assert.Equal(["name", "url", "state", "cursor", "lagChanges", "lagSeconds", "parked", "lastError"], destination.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("odoo", odoo.Url, "active"), (destination.GetProperty("name").GetString(), destination.GetProperty("url").GetString(), destination.GetProperty("state").GetString()));
        Assert.Equal(0, destination.GetProperty("lagChanges").GetInt64());
        Assert.Equal(JsonValueKind.Null, destination.GetProperty("lastError").ValueKind);
        Assert.DoesNotContain(Secret, list.GetRawText(), StringComparison.Ordinal);

        var attempts = (await service.GetJsonAsync("/api/destinations/odoo/deliveries?limit=5"))!.Value;
        Assert.Equal(5, attempts.GetArrayLength());
        var attempt = attempts[0];
        Assert.Equal(["changeId", "status", "durationMs", "error", "at"], attempt.EnumerateObject().Select(p => p.Name));
        Assert.Equal(200, attempt.GetProperty("status").GetInt32());

        Assert.Equal(HttpStatusCode.NotFound, (await service.Http.GetAsync("/api/destinations/nowhere/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Http.PostAsync("/api/destinations/nowhere/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await service.Http.PostAsync("/api/destinations/odoo/rewind?to=abc", null)).StatusCode);

        // Paused: what is written meanwhile waits; rewound: sent again with the same ids; resumed: all of it arrives.
        Assert.Equal(HttpStatusCode.Accepted, (await service.Http.PostAsync("/api/destinations/odoo/pause", null)).StatusCode);
        Assert.Equal("paused", (await service.GetJsonAsync("/api/destinations"))!.Value[0].GetProperty("state").GetString());
        var later = await ChangeLog.AppendAsync(service.ConnectionString, ChangeLog.Spread("api", 5, 4));
        Assert.Equal(HttpStatusCode.Accepted, (await service.Http.PostAsync($"/api/destinations/odoo/rewind?to={seqs[14]}", null)).StatusCode);
        var paused = (await service.GetJsonAsync("/api/destinations"))!.Value[0];
        Assert.Equal(("paused", Id(seqs[14]), 10L), (paused.GetProperty("state").GetString(), paused.GetProperty("cursor").GetString(), paused.GetProperty("lagChanges").GetInt64()));
        Assert.Equal(20, odoo.Posts.Count);
        Assert.Equal(HttpStatusCode.Accepted, (await service.Http.PostAsync("/api/destinations/odoo/resume", null)).StatusCode);

        await Eventually.MatchesAsync(() => Task.FromResult(odoo.Posts.Count), n => n == 30, TimeSpan.FromSeconds(30), "5 rewound and 5 new changes sent");
        Assert.Equal(seqs.Concat(later).Select(Id).ToHashSet(), odoo.Delivered);
        Assert.All(odoo.Posts.GroupBy(p => p.Id).Where(g => g.Count() > 1), g => Assert.Single(g.Select(p => p.Body).Distinct()));
        Assert.All(odoo.Posts, p => Assert.True(p.SignatureValid));
    }

    [Fact]
    public async Task SiloKilledWhilePushing_NothingIsLost()
    {
        await using var odoo = await PushReceiver.StartAsync(TestPorts.Of(8190), Secret);
        odoo.Delay = TimeSpan.FromMilliseconds(5);
        await using var service = await Service.StartAsync("webhooks_test_push_kill", 8150, silos: 2,
            environment: Destination(odoo, new() { ["Webhooks__Destinations__odoo__Concurrency"] = "2" }));
        var seqs = await ChangeLog.AppendAsync(service.ConnectionString, ChangeLog.Spread("kill", 2000, 40));

        await Eventually.MatchesAsync(() => Task.FromResult(odoo.Delivered.Count), n => n >= 200, TimeSpan.FromSeconds(60), "pushing");
        var sender = Enumerable.Range(0, 2).First(i => service.Silo(i).Output.Contains("Destination odoo sending", StringComparison.Ordinal));
        var deliveredBeforeKill = odoo.Delivered.Count;
        await service.Silo(sender).KillAsync();

        await Eventually.MatchesAsync(() => Task.FromResult(odoo.Delivered.Count), n => n == seqs.Length, TimeSpan.FromSeconds(120),
            $"every change delivered after the sender's silo {sender} was killed with {deliveredBeforeKill} delivered");
        Assert.Contains("Destination odoo sending", service.Silo(1 - sender).Output, StringComparison.Ordinal);
        Assert.Equal(seqs.Select(Id).ToHashSet(), odoo.Delivered);
        Assert.All(odoo.Posts, p => Assert.True(p.SignatureValid));
        Assert.All(odoo.FirstArrivalsByObject(), o => Assert.Equal(o.Value.Order(), o.Value));
        Assert.All(odoo.Posts.GroupBy(p => p.Id).Where(g => g.Count() > 1), g => Assert.Single(g.Select(p => p.Body).Distinct()));
        var status = (await Eventually.MatchesAsync(() => service.GetJsonAsync("/api/destinations"),
            l => l is { } found && found[0].GetProperty("cursor").GetString() == Id(seqs[^1]), TimeSpan.FromSeconds(30), "the cursor at the last change"))!.Value;
        Assert.Equal("active", status[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task ThousandSignedWebhooks_EveryResultingChangeArrivesAsTheManagementApiShowsIt()
    {
        await using var odoo = await PushReceiver.StartAsync(TestPorts.Of(8290), Secret);
        await using var service = await Service.StartAsync("webhooks_test_push_webhooks", 8250, environment: Destination(odoo));
        // Payments naming an order and a customer, refunds of some of them, customer updates: every event changes
        // several objects (fan-out), and many change the same order or customer.
        var events = Enumerable.Range(0, 600).Select(i => Event($"evt-pay-{i}", "payment.completed",
                new() { ["id"] = $"pay-{i}", ["amount"] = 1000 + i, ["currency"] = "usd", ["customer"] = $"cus-{i % 50}", ["order"] = $"ord-{i % 200}" }))
            .Concat(Enumerable.Range(0, 300).Select(i => Event($"evt-ref-{i}", "refund.processed",
                new() { ["id"] = $"re-{i}", ["amount"] = 100, ["currency"] = "usd", ["payment"] = $"pay-{i}", ["order"] = $"ord-{i % 200}" })))
            .Concat(Enumerable.Range(0, 100).Select(i => Event($"evt-cus-{i}", "customer.updated",
                new() { ["id"] = $"cus-{i % 50}", ["email"] = $"c{i}@example.com", ["name"] = $"Customer {i}" })))
            .ToList();
        using var gate = new SemaphoreSlim(16);
        var statuses = await Task.WhenAll(events.Select(async body =>
        {
            await gate.WaitAsync();
            try
            {
                using var response = await service.Http.SendAsync(Signing.Hmac(body));
                return response.StatusCode;
            }
            finally
            {
                gate.Release();
            }
        }));
        var loadEnded = System.Diagnostics.Stopwatch.StartNew();
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));

        await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<long>(service.ConnectionString, "SELECT count(*) FROM webhook_events WHERE state = 'processed'"),
            processed => processed == events.Count, TimeSpan.FromSeconds(120), "all 1,000 events processed");
        var changes = await Eventually.MatchesAsync(async () =>
        {
            var all = await AllChangeIdsAsync(service.ConnectionString);
            return (All: all, Missing: all.Except(odoo.Delivered).Count());
        }, c => c.Missing == 0, TimeSpan.FromSeconds(60), "every change delivered");
        output.WriteLine($"{events.Count} events → {changes.All.Count} changes; all delivered {loadEnded.ElapsedMilliseconds} ms after the last 200; {odoo.Posts.Count} POSTs");

        Assert.Equal(changes.All, odoo.Delivered);
        Assert.True(changes.All.Count > events.Count, $"fan-out: {changes.All.Count} changes from {events.Count} events");
        Assert.All(odoo.Posts, post => Assert.True(post.SignatureValid, $"signature of change {post.Id}"));
        Assert.All(odoo.FirstArrivalsByObject(), o => Assert.Equal(o.Value.Order(), o.Value));
        // What a destination ends with for an object is what the management API shows for it.
        foreach (var (kind, path) in new[] { ("payment", "payments/hmac/pay-7"), ("order", "orders/hmac/ord-7"), ("customer", "customers/hmac/cus-7") })
        {
            var last = odoo.Posts.Where(p => p.Object == $"{kind}:hmac:{path.Split('/')[^1]}" && p.Status < 300).MaxBy(p => long.Parse(p.Id, CultureInfo.InvariantCulture))!;
            using var pushed = JsonDocument.Parse(last.Body);
            var shown = (await service.GetJsonAsync($"/api/{path}"))!.Value;
            Assert.True(JsonElement.DeepEquals(shown, pushed.RootElement.GetProperty("data")), $"{path}: pushed {pushed.RootElement.GetProperty("data")}, shown {shown}");
            Assert.Equal($"{kind}.updated", pushed.RootElement.GetProperty("type").GetString());
            Assert.StartsWith("hmac:evt-", pushed.RootElement.GetProperty("cause").GetProperty("event").GetString(), StringComparison.Ordinal);
        }
    }

    private static string Event(string id, string type, Dictionary<string, object> data) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["id"] = id, ["type"] = type, ["data"] = data });

    private static async Task<HashSet<string>> AllChangeIdsAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT seq FROM changes", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new HashSet<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(Id(reader.GetInt64(0)));
        }
        return ids;
    }
}
