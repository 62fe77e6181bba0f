using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests;

/// <summary>Two silos and the web API, shared by the change feed's tests.</summary>
public sealed class TwoSiloFixture : IAsyncLifetime
{
    public Service Service { get; private set; } = null!;

    public async Task InitializeAsync() => Service = await Service.StartAsync("webhooks_test_changes", 5850, silos: 2);

    public async Task DisposeAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }
    }
}

/// <summary>The change feed and the lists as a business system pulls them.</summary>
public sealed class ChangeFeedTests(TwoSiloFixture fixture) : IClassFixture<TwoSiloFixture>
{
    private Service Service => fixture.Service;

    private static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    [Fact]
    public async Task ConcurrentWritersOnTwoSilos_ConsumerWithItsCursorSeesEveryChangeOnceInCommitOrder()
    {
        var start = await TailAsync();
        var payments = Enumerable.Range(0, 300).Select(_ => NewId("pay")).ToArray();
        var seen = new List<(long Cursor, string Kind, string Id)>();
        using var stop = new CancellationTokenSource();

        // The consumer pulls while the writers write: changes with lower numbers may still be committing as it reads.
        var consumer = Task.Run(async () =>
        {
            var cursor = start;
            while (true)
            {
                var page = (await Service.GetJsonAsync($"/api/changes?after={cursor}&limit=37&wait=1"))!.Value;
                foreach (var change in page.GetProperty("changes").EnumerateArray())
                {
                    seen.Add((long.Parse(change.GetProperty("cursor").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                        change.GetProperty("kind").GetString()!, change.GetProperty("id").GetString()!));
                }
                cursor = page.GetProperty("next").GetString()!;
                if (stop.IsCancellationRequested && page.GetProperty("changes").GetArrayLength() == 0)
                {
                    return;
                }
            }
        });
        using (var gate = new SemaphoreSlim(24))
        {
            await Task.WhenAll(payments.Select(async (payment, i) =>
            {
                await gate.WaitAsync();
                try
                {
                    using var response = await Service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent(NewId("evt"), "payment.completed", payment, 100 + i, customer: NewId("cus"))));
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<long>(Service.ConnectionString, "SELECT count(*) FROM changes WHERE kind = 'payment' AND object_id = ANY(@ids)", ("ids", payments)),
            count => count == payments.Length, TimeSpan.FromSeconds(30), "every payment's change committed");
        stop.Cancel();
        await consumer.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(seen.Select(c => c.Cursor).Order(), seen.Select(c => c.Cursor)); // in order
        Assert.Equal(seen.Count, seen.Select(c => c.Cursor).Distinct().Count()); // each once
        var committed = await TestDatabase.ScalarAsync<long>(Service.ConnectionString, "SELECT count(*) FROM changes WHERE seq > @s", ("s", long.Parse(start, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(committed, seen.Count); // none skipped
        Assert.Equal(payments.Order(StringComparer.Ordinal), seen.Where(c => c.Kind == "payment").Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.Equal(payments.Length, seen.Count(c => c.Kind == "customer"));
    }

    [Fact]
    public async Task LongPoll_ReturnsTheChangeThatCommitsWhileItWaits()
    {
        // The web API listens for the silos' commit notifications (a poll would otherwise answer only at its next re-read).
        await Eventually.MatchesAsync(() => Task.FromResult(Service.Api.HasLogged("ChangeNotifications[5300]")), listening => listening,
            TimeSpan.FromSeconds(30), "the web API listening for committed changes");
        Assert.False(Service.Api.HasLogged("ChangeNotifications[5301]"), "listening for committed changes failed:\n" + Service.Api.Output);
        var tail = await TailAsync();
        var payment = NewId("pay");

        var poll = Service.GetJsonAsync($"/api/changes?after={tail}&wait=25");
        // The poll has read the feed, found nothing after the tail, and waits: the change below commits while it does.
        await Eventually.MatchesAsync(WaitingPollsAsync, waiting => waiting >= 1, TimeSpan.FromSeconds(10), "the long poll waiting");
        Assert.False(poll.IsCompleted, "the poll answered before anything was sent");
        using (var response = await Service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent(NewId("evt"), "payment.completed", payment, 4200, customer: ""))))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var page = (await poll)!.Value;

        // Not the empty answer of a wait that ran out: the poll returned with the change.
        var change = page.GetProperty("changes").EnumerateArray().First(c => c.GetProperty("id").GetString() == payment);
        Assert.Equal(("payment", "hmac", "completed", 42.00m), (change.GetProperty("kind").GetString(), change.GetProperty("provider").GetString(),
            change.GetProperty("view").GetProperty("status").GetString(), change.GetProperty("view").GetProperty("amount").GetDecimal()));
        Assert.StartsWith("hmac:", change.GetProperty("event").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await WaitingPollsAsync());
    }

    /// <summary>webhooks_changes_waiting on /metrics: long polls waiting for a change right now.</summary>
    private async Task<double> WaitingPollsAsync()
    {
        var scrape = await Service.Http.GetStringAsync("/metrics");
        var line = scrape.Split('\n').FirstOrDefault(l => l.StartsWith("webhooks_changes_waiting", StringComparison.Ordinal) && !l.StartsWith('#'));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Lists_FilterByStatusAndPageWithTheirCursor()
    {
        var order = NewId("ord");
        var payments = Enumerable.Range(0, 5).Select(_ => NewId("lpay")).ToArray();
        foreach (var payment in payments)
        {
            using var response = await Service.Http.SendAsync(Signing.Hmac(OrderPayment(NewId("evt"), payment, order)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await Eventually.MatchesAsync(() => Service.GetJsonAsync($"/api/orders/hmac/{order}"),
            o => o?.GetProperty("paymentIds").GetArrayLength() == payments.Length, TimeSpan.FromSeconds(30), "the order names every payment");
        await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<long>(Service.ConnectionString,
                "SELECT count(*) FROM domain_views WHERE kind = 'payment' AND object_id = ANY(@ids)", ("ids", payments)),
            count => count == payments.Length, TimeSpan.FromSeconds(30), "every payment's view written");

        var pages = new List<string>();
        string? next = null;
        do
        {
            var page = (await Service.GetJsonAsync($"/api/payments?provider=hmac&status=completed&limit=2{(next is null ? "" : $"&after={next}")}"))!.Value;
            pages.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            next = page.GetProperty("next").GetString();
        }
        while (next is not null);
        Assert.Equal(pages.Distinct(), pages);
        Assert.Superset(payments.ToHashSet(), pages.ToHashSet());

        var orders = (await Service.GetJsonAsync("/api/orders?status=paid&limit=1000"))!.Value;
        var listed = orders.GetProperty("items").EnumerateArray().Single(o => o.GetProperty("id").GetString() == order);
        Assert.Equal(payments.Sum(_ => 10m), listed.GetProperty("paidAmount").GetDecimal());
        using var bad = await Service.Http.GetAsync("/api/payments?after=not-a-cursor");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var badWait = await Service.Http.GetAsync("/api/changes?wait=3600");
        Assert.Equal(HttpStatusCode.BadRequest, badWait.StatusCode);
    }

    [Fact]
    public async Task CursorOlderThanWhatRetentionKept_Answers410_NeverSkipsSilently()
    {
        var tail = long.Parse(await TailAsync(), System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 3; i++)
        {
            using var response = await Service.Http.SendAsync(Signing.Hmac(Signing.SeedEvent(NewId("evt"), "payment.completed", NewId("pay"), 100 + i, customer: "")));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await Eventually.MatchesAsync(() => TestDatabase.ScalarAsync<long>(Service.ConnectionString, "SELECT last_seq FROM change_counter"),
            last => last >= tail + 3, TimeSpan.FromSeconds(30), "the three changes committed");
        // What the retention job does to changes every destination has delivered: the oldest go, numbers stay.
        await TestDatabase.ExecuteAsync(Service.ConnectionString, "DELETE FROM changes WHERE seq <= @upTo", ("upTo", tail + 2));

        using var gone = await Service.Http.GetAsync($"/api/changes?after={tail}");
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        var problem = await gone.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(long.Parse(problem.GetProperty("newest").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= tail + 3);
        // From a cursor whose next change is still there, and from the start, the feed goes on.
        var next = (await Service.GetJsonAsync($"/api/changes?after={tail + 2}"))!.Value;
        Assert.Equal((tail + 3).ToString(System.Globalization.CultureInfo.InvariantCulture), next.GetProperty("changes")[0].GetProperty("cursor").GetString());
        var fromStart = (await Service.GetJsonAsync("/api/changes"))!.Value;
        Assert.Equal((tail + 3).ToString(System.Globalization.CultureInfo.InvariantCulture), fromStart.GetProperty("changes")[0].GetProperty("cursor").GetString());
    }

    private static string OrderPayment(string eventId, string payment, string order) => JsonSerializer.Serialize(new
    {
        id = eventId,
        type = "payment.completed",
        data = new { id = payment, amount = 1000, currency = "usd", order },
    });

    /// <summary>The cursor after every change so far.</summary>
    private async Task<string> TailAsync()
    {
        var tail = await TestDatabase.ScalarAsync<long>(Service.ConnectionString, "SELECT last_seq FROM change_counter");
        return tail.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
