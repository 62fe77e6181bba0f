using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Orleans.Webhooks.Testing;
using Xunit.Abstractions;
// The test helper, by another name: in this namespace "ChangeLog" names the src/Grains/ChangeLog namespace.
using TestChangeLog = Orleans.Webhooks.Testing.ChangeLog;

namespace Orleans.Webhooks.Grains.Tests.Destinations;

/// <summary>
/// Push to a real HTTP receiver from a two-silo cluster on PostgreSQL. The change log is written directly here, as the
/// domain grains' storage writes it; each test has a cluster and database of its own, because every destination reads
/// every change.
/// </summary>
public sealed class PushTests(ITestOutputHelper output)
{
    private const string Secret = "odoo-push-secret";

    private static string Id(long seq) => seq.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task ThousandChanges_EveryOneArrivesSignedAndInOrderPerObject()
    {
        await using var odoo = await PushReceiver.StartAsync(TestPorts.Of(8101), Secret);
        await using var payments = await PushReceiver.StartAsync(TestPorts.Of(8102), "whsec_" + Convert.ToBase64String("a-standard-webhooks-key-32-bytes"u8), "standard-webhooks");
        var settings = PushCluster.Destination("odoo", odoo);
        foreach (var (key, value) in PushCluster.Destination("Payments", payments, new() { ["Kinds:0"] = "payment" }))
        {
            settings[key] = value;
        }
        await using var cluster = await PushCluster.StartAsync("webhooks_test_push_thousand", settings);

        var rows = TestChangeLog.Spread("obj", 1000, 60);
        var clock = Stopwatch.StartNew();
        var seqs = new List<long>();
        foreach (var chunk in rows.Chunk(100))
        {
            seqs.AddRange(await TestChangeLog.AppendAsync(cluster.ConnectionString, chunk)); // ten commits while sending
        }
        try
        {
            await Eventually.MatchesAsync(() => Task.FromResult(odoo.Delivered.Count), n => n == 1000, TimeSpan.FromSeconds(60), "all 1,000 changes delivered");
        }
        finally
        {
            output.WriteLine(cluster.Logs);
        }
        output.WriteLine($"1,000 changes delivered {clock.ElapsedMilliseconds} ms after the first was written; {odoo.Posts.Count} POSTs");

        Assert.Equal(seqs.Select(Id).ToHashSet(), odoo.Delivered);
        Assert.All(odoo.Posts, post => Assert.True(post.SignatureValid, $"signature of change {post.Id}"));
        var byObject = odoo.FirstArrivalsByObject();
        Assert.Equal(60, byObject.Count);
        Assert.All(byObject, o => Assert.Equal(o.Value.Order(), o.Value));
        using (var first = JsonDocument.Parse(odoo.Posts.First(p => p.Id == Id(seqs[0])).Body))
        {
            var root = first.RootElement;
            Assert.Equal(Id(seqs[0]), root.GetProperty("id").GetString());
            Assert.Equal("payment.updated", root.GetProperty("type").GetString());
            Assert.Equal("obj-0", root.GetProperty("data").GetProperty("id").GetString());
            Assert.Equal("completed", root.GetProperty("data").GetProperty("status").GetString());
            Assert.Equal("hmac:evt_obj-0_0", root.GetProperty("cause").GetProperty("event").GetString());
            Assert.Equal("payment.completed", root.GetProperty("cause").GetProperty("type").GetString());
        }

        // Kinds: payment only, and the standard-webhooks signature.
        var expectedPayments = rows.Zip(seqs).Where(r => r.First.Kind == "payment").Select(r => Id(r.Second)).ToHashSet();
        await Eventually.MatchesAsync(() => Task.FromResult(payments.Delivered.Count), n => n == expectedPayments.Count, TimeSpan.FromSeconds(30), "every payment change delivered");
        Assert.Equal(expectedPayments, payments.Delivered);
        Assert.All(payments.Posts, post => Assert.True(post.SignatureValid && post.Type == "payment.updated", $"change {post.Id}: {post.Type}"));

        // Both cursors reach the last change (the payment-only one passes the others over) and are saved.
        foreach (var name in new[] { "odoo", "payments" })
        {
            var status = await Eventually.MatchesAsync(() => cluster.Destination(name).GetStatusAsync(), s => s.Cursor == seqs[^1], because: $"{name}'s cursor at the last change");
            Assert.Equal(0, status.LagChanges);
            Assert.Equal("active", status.State);
            Assert.Null(status.LastError);
            await Eventually.MatchesAsync(() => cluster.ScalarAsync("SELECT cursor FROM destination_state WHERE name = @n", ("n", name)),
                cursor => cursor == seqs[^1], because: $"{name}'s cursor saved");
        }
    }

    [Fact]
    public async Task ReceiverDown20Seconds_EverythingArrivesAfterwards_RepeatsCarryTheSameId()
    {
        await using var odoo = await PushReceiver.StartAsync(TestPorts.Of(8103), Secret);
        await using var cluster = await PushCluster.StartAsync("webhooks_test_push_down", PushCluster.Destination("odoo", odoo));
        await odoo.DownAsync();

        var seqs = await TestChangeLog.AppendAsync(cluster.ConnectionString, TestChangeLog.Spread("down", 200, 20));
        var downSince = cluster.Time.GetUtcNow();
        // 20 s on the sender's clock, each of the 16 objects it sends at once tried again meanwhile.
        await cluster.AdvancingUntilAsync(
            () => cluster.ScalarAsync("SELECT count(*) FROM destination_deliveries WHERE destination = 'odoo' AND status IS NULL"),
            failed => failed >= 32 && cluster.Time.GetUtcNow() - downSince >= TimeSpan.FromSeconds(20),
            TimeSpan.FromSeconds(1), "attempts failing while the receiver is down");
        Assert.Empty(odoo.Posts);
        Assert.Equal(0, (await cluster.Destination("odoo").GetStatusAsync()).Cursor);

        // Back up, answering 500 the first time it sees a change, so that every change is sent again.
        odoo.Answer = PushReceiver.Behaviour.FailFirstTime;
        await odoo.UpAsync();
        await cluster.AdvancingUntilAsync(() => Task.FromResult(odoo.Delivered.Count), n => n == seqs.Length,
            TimeSpan.FromSeconds(1), "every change delivered after the receiver came back");

        Assert.Equal(seqs.Select(Id).ToHashSet(), odoo.Delivered);
        Assert.All(odoo.Posts, post => Assert.True(post.SignatureValid, $"signature of change {post.Id}"));
        Assert.All(odoo.Posts.GroupBy(p => p.Id), repeats =>
        {
            Assert.True(repeats.Count() >= 2, $"change {repeats.Key} was sent again");
            Assert.Single(repeats.Select(p => p.Body).Distinct());
        });
        Assert.All(odoo.FirstArrivalsByObject(), o => Assert.Equal(o.Value.Order(), o.Value));
        var status = await Eventually.MatchesAsync(() => cluster.Destination("odoo").GetStatusAsync(), s => s.Cursor == seqs[^1], because: "cursor at the last change");
        Assert.Null(status.LastError);
    }

    [Fact]
    public async Task FailingForever_PausedAfterTheHorizon_ResumeDeliversTheBacklog()
    {
        await using var odoo = await PushReceiver.StartAsync(TestPorts.Of(8104), Secret);
        odoo.Answer = PushReceiver.Behaviour.Fail;
        await using var cluster = await PushCluster.StartAsync("webhooks_test_push_horizon",
            PushCluster.Destination("odoo", odoo, new() { ["RetryHorizon"] = "00:01:00" }));
        var grain = cluster.Destination("odoo");

        var seqs = (await TestChangeLog.AppendAsync(cluster.ConnectionString, TestChangeLog.Spread("fail", 20, 5))).ToList();
        var since = cluster.Time.GetUtcNow();
        await Eventually.MatchesAsync(() => Task.FromResult(odoo.Posts.Count), n => n > 0, because: "first attempts");

        // Within the horizon it keeps trying.
        var before = await cluster.AdvancingUntilAsync(grain.GetStatusAsync, _ => cluster.Time.GetUtcNow() - since >= TimeSpan.FromSeconds(50),
            TimeSpan.FromSeconds(2), "50 s of failures");
        Assert.Equal("active", before.State);
        Assert.Contains("HTTP 500", before.LastError);
        Assert.NotNull(before.FailingSince);

        // Past it, the destination is paused with its last error.
        var paused = await cluster.AdvancingUntilAsync(grain.GetStatusAsync, s => s.State == "paused", TimeSpan.FromSeconds(2), "paused past the horizon");
        Assert.True(cluster.Time.GetUtcNow() - since >= TimeSpan.FromSeconds(60), "not paused before the horizon");
        Assert.Contains("HTTP 500", paused.LastError);
        Assert.Equal(0, paused.Cursor);
        await Eventually.MatchesAsync(() => TestDatabase.ScalarAsync<string>(cluster.ConnectionString, "SELECT state FROM destination_state WHERE name = 'odoo'"),
            state => state == "paused", because: "the pause saved");
        Assert.Empty(odoo.Delivered);

        // What accumulates meanwhile is kept, and all of it is delivered after resume.
        seqs.AddRange(await TestChangeLog.AppendAsync(cluster.ConnectionString, TestChangeLog.Spread("later", 30, 5)));
        Assert.Equal(50, (await grain.GetStatusAsync()).LagChanges);
        odoo.Answer = PushReceiver.Behaviour.Accept;
        await grain.ResumeAsync();

        await Eventually.MatchesAsync(() => Task.FromResult(odoo.Delivered.Count), n => n == seqs.Count, because: "the backlog delivered after resume");
        Assert.Equal(seqs.Select(Id).ToHashSet(), odoo.Delivered);
        Assert.All(odoo.FirstArrivalsByObject(), o => Assert.Equal(o.Value.Order(), o.Value));
        var resumed = await Eventually.MatchesAsync(grain.GetStatusAsync, s => s.Cursor == seqs[^1], because: "cursor at the last change");
        Assert.Equal("active", resumed.State);
        Assert.Null(resumed.LastError);
        var attempts = await grain.GetDeliveriesAsync(1000);
        Assert.Contains(attempts, a => a.Status == 500 && a.Error!.Contains("HTTP 500", StringComparison.Ordinal));
        Assert.Contains(attempts, a => a.Status == 200 && a.ChangeId == Id(seqs[^1]));
    }

    [Fact]
    public async Task PauseThenRewind_ResumeSendsTheRewoundChangesAgainWithTheSameIds()
    {
        await using var odoo = await PushReceiver.StartAsync(TestPorts.Of(8105), Secret);
        await using var cluster = await PushCluster.StartAsync("webhooks_test_push_rewind", PushCluster.Destination("odoo", odoo));
        var grain = cluster.Destination("odoo");
        var seqs = (await TestChangeLog.AppendAsync(cluster.ConnectionString, TestChangeLog.Spread("rw", 10, 3))).ToList();
        await Eventually.MatchesAsync(grain.GetStatusAsync, s => s.Cursor == seqs[^1], because: "first ten delivered");

        await grain.PauseAsync();
        Assert.Equal("paused", (await grain.GetStatusAsync()).State);
        seqs.AddRange(await TestChangeLog.AppendAsync(cluster.ConnectionString, TestChangeLog.Spread("rw", 5, 3)));
        await grain.RewindAsync(seqs[4]);
        var rewound = await grain.GetStatusAsync();
        Assert.Equal(("paused", seqs[4], 10L), (rewound.State, rewound.Cursor, rewound.LagChanges));
        Assert.Equal(10, odoo.Posts.Count);

        await grain.ResumeAsync();
        await Eventually.MatchesAsync(grain.GetStatusAsync, s => s.Cursor == seqs[^1], because: "everything after the rewound cursor delivered");
        Assert.Equal(seqs.Select(Id).ToHashSet(), odoo.Delivered);
        var byId = odoo.Posts.GroupBy(p => p.Id).ToDictionary(g => g.Key, g => g.ToList());
        Assert.All(seqs.Take(5), seq => Assert.Single(byId[Id(seq)]));
        Assert.All(seqs.Skip(5).Take(5), seq => Assert.Equal(2, byId[Id(seq)].Select(p => p.Body).Count(b => b == byId[Id(seq)][0].Body)));
        Assert.All(seqs.Skip(10), seq => Assert.Single(byId[Id(seq)]));
        var recent = await grain.GetDeliveriesAsync(5);
        Assert.Equal(5, recent.Count);
        Assert.All(recent, a => Assert.Equal(200, a.Status));
    }

    [Fact]
    public async Task OneObjectFailing_TheOthersArrive_TheCursorWaitsForIt()
    {
        await using var odoo = await PushReceiver.StartAsync(TestPorts.Of(8106), Secret);
        odoo.FailingObject = "payment:hmac:slow-0";
        await using var cluster = await PushCluster.StartAsync("webhooks_test_push_slow", PushCluster.Destination("odoo", odoo));
        var rows = TestChangeLog.Spread("slow", 300, 30);
        var seqs = await TestChangeLog.AppendAsync(cluster.ConnectionString, rows);
        var slow = rows.Zip(seqs).Where(r => r.First.ObjectId == "slow-0").Select(r => r.Second).ToList();

        await Eventually.MatchesAsync(() => Task.FromResult(odoo.Delivered.Count), n => n == seqs.Length - slow.Count, because: "every other object's changes");
        var status = await Eventually.MatchesAsync(cluster.Destination("odoo").GetStatusAsync, s => s.Cursor == slow[0] - 1 && s.LastError is not null,
            because: "the cursor before the failing object's first change, with its error");
        Assert.Equal(seqs.Count(s => s > slow[0] - 1), status.LagChanges);
        Assert.Contains($"change {Id(slow[0])}: HTTP 500", status.LastError);
        Assert.Equal([Id(slow[0])], odoo.Posts.Where(p => p.Object == odoo.FailingObject).Select(p => p.Id).Distinct());

        odoo.FailingObject = null;
        await cluster.AdvancingUntilAsync(() => Task.FromResult(odoo.Delivered.Count), n => n == seqs.Length, TimeSpan.FromSeconds(1), "the failing object's changes once it is accepted");
        Assert.Equal(slow.Select(Id), odoo.FirstArrivalsByObject()["payment:hmac:slow-0"].Select(Id));
        await Eventually.MatchesAsync(cluster.Destination("odoo").GetStatusAsync, s => s.Cursor == seqs[^1] && s.LastError is null, because: "the cursor at the last change");
    }
}
