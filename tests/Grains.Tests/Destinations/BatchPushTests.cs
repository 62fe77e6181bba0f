using System.Globalization;
using System.Text.Json;
using Orleans.Webhooks.Testing;
using Xunit.Abstractions;
// The test helper, by another name: in this namespace "ChangeLog" names the src/Grains/ChangeLog namespace.
using TestChangeLog = Orleans.Webhooks.Testing.ChangeLog;

namespace Orleans.Webhooks.Grains.Tests.Destinations;

/// <summary>
/// Batches (<c>Batch</c> above 1) and parking, from a two-silo cluster on PostgreSQL to real HTTP receivers. Each test
/// has a cluster and database of its own, because every destination reads every change.
/// </summary>
public sealed class BatchPushTests(ITestOutputHelper output)
{
    private const string Secret = "odoo-batch-secret";

    private static string Id(long seq) => seq.ToString(CultureInfo.InvariantCulture);

    private static long Seq(string id) => long.Parse(id, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Batches_BothFormats_SignedOnceInChangeOrder_EveryChangeOnceInOrderPerObject()
    {
        await using var odoo = await PushReceiver.StartAsync(TestPorts.Of(8111), Secret);
        await using var warehouse = await PushReceiver.StartAsync(TestPorts.Of(8112), "whsec_" + Convert.ToBase64String("a-standard-webhooks-key-32-bytes"u8), "standard-webhooks");
        var settings = PushCluster.Destination("odoo", odoo, new() { ["Batch"] = "50", ["Concurrency"] = "4" });
        foreach (var (key, value) in PushCluster.Destination("warehouse", warehouse, new() { ["Batch"] = "20" }))
        {
            settings[key] = value;
        }
        await using var cluster = await PushCluster.StartAsync("webhooks_test_push_batches", settings);

        var seqs = new List<long>();
        foreach (var chunk in TestChangeLog.Spread("batch", 1000, 60).Chunk(200))
        {
            seqs.AddRange(await TestChangeLog.AppendAsync(cluster.ConnectionString, chunk)); // five commits while sending
        }
        try
        {
            foreach (var receiver in new[] { odoo, warehouse })
            {
                await Eventually.MatchesAsync(() => Task.FromResult(receiver.Delivered.Count), n => n == 1000, TimeSpan.FromSeconds(60), $"all 1,000 changes delivered to {receiver.Format}");
            }
        }
        finally
        {
            output.WriteLine(cluster.Logs);
        }

        foreach (var (receiver, batch) in new[] { (odoo, 50), (warehouse, 20) })
        {
            var requests = receiver.Requests;
            output.WriteLine($"{receiver.Format}: {requests.Count} POSTs for 1,000 changes");
            Assert.Equal(seqs.Select(Id).ToHashSet(), receiver.Delivered);
            foreach (var request in requests)
            {
                Assert.True(request.Batch, $"POST {request.HeaderId} has the batch body");
                Assert.True(request.SignatureValid, $"POST {request.HeaderId}: signature and id header");
                Assert.InRange(request.ChangeIds.Count, 1, batch);
                Assert.True(request.ChangeIds.Select(Seq).Order().SequenceEqual(request.ChangeIds.Select(Seq)), $"POST {request.HeaderId} in change order: {string.Join(",", request.ChangeIds)}");
            }
            Assert.True(requests.Count < 1000 / 2, $"{requests.Count} POSTs: the batches fill while changes wait");
            Assert.Equal(1000, requests.Sum(r => r.ChangeIds.Count)); // each change once: nothing failed
            var byObject = receiver.FirstArrivalsByObject();
            Assert.Equal(60, byObject.Count);
            Assert.All(byObject, o => Assert.Equal(o.Value.Order(), o.Value));
        }
        // The header ids: "<first>-<last>" (hmac), "batch_<first>_<last>" (standard-webhooks), checked per POST above.
        Assert.All(odoo.Requests, r => Assert.Equal($"{r.ChangeIds[0]}-{r.ChangeIds[^1]}", r.HeaderId));
        Assert.All(warehouse.Requests, r => Assert.Equal($"batch_{r.ChangeIds[0]}_{r.ChangeIds[^1]}", r.HeaderId));

        // The body: {"changes":[<a change as sent alone>...]}.
        var largest = odoo.Requests.MaxBy(r => r.ChangeIds.Count)!;
        using var body = JsonDocument.Parse(largest.Body);
        Assert.Equal(["changes"], body.RootElement.EnumerateObject().Select(p => p.Name));
        var change = body.RootElement.GetProperty("changes")[0];
        Assert.Equal(["id", "type", "data", "cause"], change.EnumerateObject().Select(p => p.Name));
        Assert.Equal(largest.ChangeIds[0], change.GetProperty("id").GetString());
        Assert.EndsWith(".updated", change.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("hmac:evt_batch-", change.GetProperty("cause").GetProperty("event").GetString(), StringComparison.Ordinal);

        var status = await Eventually.MatchesAsync(() => cluster.Destination("odoo").GetStatusAsync(), s => s.Cursor == seqs[^1], because: "odoo's cursor at the last change");
        Assert.Equal((0L, 0L, "active"), (status.LagChanges, status.Parked, status.State));
    }

    [Fact]
    public async Task OneObjectRefused_ItsChangeParkedAfterParkAfter_TheRestDelivered_ThenRetriedAndSkippedByHand()
    {
        await using var odoo = await PushReceiver.StartAsync(TestPorts.Of(8113), Secret);
        odoo.FailingObject = "payment:hmac:bad";
        await using var cluster = await PushCluster.StartAsync("webhooks_test_push_parking",
            PushCluster.Destination("odoo", odoo, new() { ["Batch"] = "10", ["ParkAfter"] = "4" }));
        var grain = cluster.Destination("odoo");

        // The refused change sits among 200 others, in the same batches.
        var rows = TestChangeLog.Spread("park", 100, 20).Append(TestChangeLog.Of("payment", "bad", 1)).Concat(TestChangeLog.Spread("after", 100, 20)).ToList();
        var seqs = await TestChangeLog.AppendAsync(cluster.ConnectionString, rows);
        var bad = seqs[100];

        var parked = await cluster.AdvancingUntilAsync(() => grain.GetParkedAsync(10), p => p.Count == 1, TimeSpan.FromSeconds(1), "the refused change parked");
        var one = Assert.Single(parked);
        Assert.Equal((Id(bad), "payment", "hmac", "bad", 4), (one.ChangeId, one.Kind, one.Provider, one.Id, one.Attempts));
        Assert.Contains("HTTP 500", one.Error);
        await Eventually.MatchesAsync(() => Task.FromResult(odoo.Delivered), d => d.Count == seqs.Length - 1, because: "every other change delivered");
        Assert.Equal(seqs.Where(s => s != bad).Select(Id).ToHashSet(), odoo.Delivered);
        Assert.All(odoo.FirstArrivalsByObject(), o => Assert.Equal(o.Value.Order(), o.Value));
        // Found by splitting: its last attempt went alone.
        Assert.Equal([Id(bad)], odoo.Requests.Last(r => r.ChangeIds.Contains(Id(bad))).ChangeIds);
        var status = await Eventually.MatchesAsync(grain.GetStatusAsync, s => s.Cursor == seqs[^1], because: "the cursor past the parked change");
        Assert.Equal(("active", 1L, 0L), (status.State, status.Parked, status.LagChanges));

        // A later change of the parked object still goes, with its full view.
        odoo.FailingObject = null;
        var later = (await TestChangeLog.AppendAsync(cluster.ConnectionString, [TestChangeLog.Of("payment", "bad", 2)]))[0];
        await Eventually.MatchesAsync(() => Task.FromResult(odoo.Delivered), d => d.Contains(Id(later)), because: "the parked object's later change delivered");
        Assert.DoesNotContain(Id(bad), odoo.Delivered);
        Assert.Single(await grain.GetParkedAsync(10));

        // Retry by hand: sent again, delivered, no longer parked; the attempt is in the deliveries.
        Assert.True(await grain.RetryParkedAsync(bad));
        await Eventually.MatchesAsync(() => grain.GetParkedAsync(10), p => p.Count == 0, because: "the retried change unparked");
        Assert.Contains(Id(bad), odoo.Delivered);
        Assert.Contains(await grain.GetDeliveriesAsync(20), a => a.ChangeId == Id(bad) && a.Status == 200);
        Assert.False(await grain.RetryParkedAsync(bad));

        // Skip by hand: another refused change, parked, then dropped for good; recorded, never delivered.
        odoo.FailingObject = "order:hmac:worse";
        var worse = (await TestChangeLog.AppendAsync(cluster.ConnectionString, [TestChangeLog.Of("order", "worse", 1), .. TestChangeLog.Spread("more", 30, 10)]))[0];
        await cluster.AdvancingUntilAsync(() => grain.GetParkedAsync(10), p => p.Count == 1 && p[0].ChangeId == Id(worse), TimeSpan.FromSeconds(1), "the second refused change parked");
        Assert.True(await grain.SkipParkedAsync(worse));
        Assert.Empty(await grain.GetParkedAsync(10));
        Assert.False(await grain.SkipParkedAsync(worse));
        Assert.Contains(await grain.GetDeliveriesAsync(50), a => a.ChangeId == Id(worse) && a.Status is null && a.Error!.Contains("skipped", StringComparison.Ordinal));
        Assert.Equal(1, await cluster.ScalarAsync("SELECT count(*) FROM destination_deliveries WHERE destination = 'odoo' AND change_seq = @s AND outcome = 'skipped'", ("s", worse)));
        Assert.DoesNotContain(Id(worse), odoo.Delivered);
        Assert.Equal(0, (await grain.GetStatusAsync()).Parked);
    }

    [Fact]
    public async Task EverythingRefused_NothingParked_PausedAfterTheHorizon_ResumeDeliversAll()
    {
        await using var odoo = await PushReceiver.StartAsync(TestPorts.Of(8114), Secret);
        odoo.Answer = PushReceiver.Behaviour.Fail;
        await using var cluster = await PushCluster.StartAsync("webhooks_test_push_batch_down",
            PushCluster.Destination("odoo", odoo, new() { ["Batch"] = "10", ["ParkAfter"] = "2", ["RetryHorizon"] = "00:01:00" }));
        var grain = cluster.Destination("odoo");
        var seqs = (await TestChangeLog.AppendAsync(cluster.ConnectionString, TestChangeLog.Spread("down", 60, 12))).ToList();
        var since = cluster.Time.GetUtcNow();

        var paused = await cluster.AdvancingUntilAsync(grain.GetStatusAsync, s => s.State == "paused", TimeSpan.FromSeconds(2), "paused past the horizon");
        Assert.True(cluster.Time.GetUtcNow() - since >= TimeSpan.FromSeconds(60), "not paused before the horizon");
        Assert.Equal((0L, 0L), (paused.Parked, paused.Cursor));
        Assert.Contains("HTTP 500", paused.LastError);
        Assert.Empty(await grain.GetParkedAsync(10));
        Assert.Empty(odoo.Delivered);
        // Probed with smaller parts while nothing was acknowledged, never split into the window: far fewer POSTs than changes tried.
        Assert.Contains(odoo.Requests, r => r.ChangeIds.Count == 1);

        seqs.AddRange(await TestChangeLog.AppendAsync(cluster.ConnectionString, TestChangeLog.Spread("later", 40, 12)));
        odoo.Answer = PushReceiver.Behaviour.Accept;
        await grain.ResumeAsync();
        await Eventually.MatchesAsync(() => Task.FromResult(odoo.Delivered.Count), n => n == seqs.Count, because: "everything delivered after resume");
        Assert.Equal(seqs.Select(Id).ToHashSet(), odoo.Delivered);
        Assert.All(odoo.FirstArrivalsByObject(), o => Assert.Equal(o.Value.Order(), o.Value));
        var resumed = await Eventually.MatchesAsync(grain.GetStatusAsync, s => s.Cursor == seqs[^1], because: "cursor at the last change");
        Assert.Equal(("active", 0L), (resumed.State, resumed.Parked));
        Assert.Null(resumed.LastError);
        Assert.Equal(0, await cluster.ScalarAsync("SELECT count(*) FROM destination_parked"));
    }
}
