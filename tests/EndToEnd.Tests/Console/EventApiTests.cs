using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Console;

/// <summary>The event API behind the console, on a real silo and PostgreSQL: payload, objects, filters, paging, bulk replay.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class EventApiTests(ConsoleFixture fixture)
{
    private HttpClient Http => fixture.Service.Http;

    private static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    private static string Since(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O"));

    [Fact]
    public async Task Payload_ReturnsTheBodyByteForByte_WithItsContentType()
    {
        var id = NewId("evt_payload");
        // Spacing, key order, escapes and non-ASCII that a parser would not keep.
        var body = $"{{ \"type\":\"payment.completed\",  \"id\":\"{id}\",\n\t\"data\":{{\"id\":\"pay_\\u00e9\",\"amount\":1e2,\"note\":\"€ \\\"q\\\"\"}} }}";
        await fixture.SendAsync(body, contentType: "application/json; charset=utf-8");

        using var response = await Http.GetAsync($"/api/events/hmac/{id}/payload");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Encoding.UTF8.GetBytes(body), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Payload_FormBody_ReturnsItAsSent_AndUnknownEventIs404()
    {
        var form = $"type=subscribe&fired_at=2026-12-01+10%3A00%3A00&data%5Bid%5D={NewId("cus")}&data%5Bemail%5D=a%2Bb%40example.com";
        using var delivery = new HttpRequestMessage(HttpMethod.Post, $"/webhook/mailchimp?secret={ConsoleFixture.MailchimpSecret}")
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        using var accepted = await Http.SendAsync(delivery);
        var key = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        using var response = await Http.GetAsync($"/api/events/mailchimp/{Uri.EscapeDataString(key["mailchimp:".Length..])}/payload");
        using var missing = await Http.GetAsync($"/api/events/hmac/{NewId("never")}/payload");

        Assert.Equal(form, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/x-www-form-urlencoded", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Objects_ListEveryPaymentOrderAndCustomerTheEventNames()
    {
        var id = NewId("evt_objects");
        await fixture.SendAsync(ConsoleFixture.Seed(id, "payment.completed", "pay_o1", customer: "cus_o1", order: "ord_o1"));

        var objects = (await fixture.EventAsync("hmac", id)).GetProperty("objects").EnumerateArray()
            .Select(o => (o.GetProperty("kind").GetString(), o.GetProperty("provider").GetString(), o.GetProperty("id").GetString())).ToArray();

        Assert.Equal([("payment", "hmac", "pay_o1"), ("order", "hmac", "ord_o1"), ("customer", "hmac", "cus_o1")], objects);
    }

    [Fact]
    public async Task List_EachFilter_SelectsOnlyWhatItNames()
    {
        var start = DateTimeOffset.UtcNow;
        var run = Guid.NewGuid().ToString("N")[..8];
        var paid = $"paid_{run}";
        var failed = $"failed_{run}";
        var customer = $"cust_{run}";
        var other = $"other_{run}";
        await fixture.SendAsync(ConsoleFixture.Seed(paid, "payment.completed", $"pay_{run}", customer: $"cus_{run}"));
        await fixture.SendAsync(ConsoleFixture.Seed(failed, "payment.completed", objectId: null));
        await fixture.SendAsync(ConsoleFixture.Seed(customer, "customer.updated", $"cus_{run}"));
        await fixture.SendAsync(ConsoleFixture.Seed(other, "payment.completed", $"pay_other_{run}"), provider: "other");
        foreach (var (provider, id) in new[] { ("hmac", paid), ("hmac", failed), ("hmac", customer), ("other", other) })
        {
            await fixture.SettledAsync(provider, id);
        }
        var end = DateTimeOffset.UtcNow;
        var window = $"since={Since(start)}&until={Since(end)}";

        async Task<string[]> Ids(string query) =>
            [.. (await fixture.PagesAsync($"{window}&{query}")).SelectMany(p => p).Select(e => e.GetProperty("externalId").GetString()!).Order()];

        Assert.Equal([customer, failed, other, paid], await Ids("limit=100"));
        Assert.Equal([failed], await Ids("state=failed"));
        Assert.Equal([customer, other, paid], await Ids("state=processed"));
        Assert.Equal([other], await Ids("provider=other"));
        Assert.Equal([customer, failed, paid], await Ids("provider=HMAC"));
        Assert.Equal([customer], await Ids("type=customer.updated"));
        Assert.Equal([customer, paid], await Ids($"object=cus_{run}"));
        Assert.Equal([paid], await Ids($"object=pay_{run}"));
        Assert.Equal([failed], await Ids($"q={failed}"));
        Assert.Equal([customer, paid], await Ids($"q=cus_{run}"));
        Assert.Empty(await Ids($"state=failed&provider=other"));
        Assert.Empty((await fixture.PagesAsync($"since={Since(end)}&provider=other")).SelectMany(p => p));
    }

    [Fact]
    public async Task List_PagesNewestFirst_WithoutOverlapOrGap_WhileNewEventsArrive()
    {
        var start = DateTimeOffset.UtcNow;
        var provider = "other";
        var before = Enumerable.Range(0, 40).Select(i => NewId($"evt_page{i:00}")).ToArray();
        foreach (var id in before)
        {
            await fixture.SendAsync(ConsoleFixture.Seed(id, "customer.updated", "cus_paging"), provider);
        }
        using var stop = new CancellationTokenSource();
        var arriving = Task.Run(async () =>
        {
            var sent = new List<string>();
            while (!stop.IsCancellationRequested)
            {
                var id = NewId("evt_new");
                await fixture.SendAsync(ConsoleFixture.Seed(id, "customer.updated", "cus_paging"), provider);
                sent.Add(id);
            }
            return sent;
        });
        await Eventually.MatchesAsync(async () => (await fixture.PagesAsync($"provider={provider}&since={Since(start)}&limit=100")).Sum(p => p.Count),
            n => n > before.Length, because: "new events arriving while the pages are read");

        var pages = await fixture.PagesAsync($"provider={provider}&since={Since(start)}&limit=6");
        await stop.CancelAsync();
        var arrived = await arriving;

        var listed = pages.SelectMany(p => p).ToList();
        var keys = listed.Select(e => e.GetProperty("externalId").GetString()!).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Empty(before.Except(keys));
        Assert.Empty(keys.Except(before).Except(arrived));
        var times = listed.Select(e => e.GetProperty("receivedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);
        Assert.All(pages.SkipLast(1), page => Assert.Equal(6, page.Count));
    }

    [Fact]
    public async Task BulkReplay_ReplaysWhatTheFilterSelects_UpToTheLimit()
    {
        var start = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 12).Select(i => NewId($"evt_bulk{i:00}")).ToArray();
        foreach (var id in ids)
        {
            await fixture.SendAsync(ConsoleFixture.Seed(id, "payment.completed", objectId: null));
        }
        foreach (var id in ids)
        {
            await fixture.SettledAsync("hmac", id);
        }

        using var five = await Http.PostAsync($"/api/events/replay?state=failed&provider=hmac&since={Since(start)}&limit=5", null);

        Assert.Equal(HttpStatusCode.Accepted, five.StatusCode);
        Assert.Equal(5, (await five.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        // The newest five run again (their attempts add up); the others are left as they were.
        foreach (var id in ids[^5..])
        {
            await fixture.SettledAsync("hmac", id, e => e.GetProperty("attempts").GetInt32() == 2);
        }
        foreach (var id in ids[..^5])
        {
            Assert.Equal(1, (await fixture.EventAsync("hmac", id)).GetProperty("attempts").GetInt32());
        }

        using var all = await Http.PostAsync($"/api/events/replay?state=failed&since={Since(start)}", null);

        Assert.Equal(12, (await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        foreach (var id in ids)
        {
            await fixture.SettledAsync("hmac", id, e => e.GetProperty("attempts").GetInt32() >= 2);
        }
    }

    [Theory]
    [InlineData("/api/events/replay?provider=hmac")]
    [InlineData("/api/events/replay?state=failed&limit=10001")]
    [InlineData("/api/events/replay?state=failed&limit=0")]
    [InlineData("/api/events/replay?state=lost")]
    [InlineData("/api/events/replay?state=failed&since=yesterday")]
    public async Task BulkReplay_BadParameters_Return400Problem(string path)
    {
        using var response = await Http.PostAsync(path, null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("state=lost")]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=ten")]
    [InlineData("since=not-a-time")]
    [InlineData("until=2026-13-45")]
    [InlineData("after=not-a-cursor")]
    [InlineData("after=WyJ4Il0")]
    public async Task List_BadParameters_Return400Problem(string query)
    {
        using var response = await Http.GetAsync($"/api/events?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }
}
