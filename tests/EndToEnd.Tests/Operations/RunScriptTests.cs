using System.Diagnostics;
using System.Globalization;
using Orleans.Webhooks.Testing;
using Xunit.Abstractions;

namespace Orleans.Webhooks.EndToEnd.Tests.Operations;

/// <summary>deploy/local/run.sh --nodes 3 supervises its cluster: a silo killed under load is started again, and the rest keep serving.</summary>
public sealed class RunScriptTests(ITestOutputHelper output)
{
    private const string Cluster = "e2e-runsh";

    [Fact]
    public async Task RunSh_SiloKilledUnderLoad_IsStartedAgain_OthersKeepServing_EveryEventProcessedOnce()
    {
        var database = await TestDatabase.CreateAsync("webhooks_test_runsh");
        var baseAddress = new Uri($"http://127.0.0.1:{TestPorts.Of(6250)}");
        var siloPort = TestPorts.Of(6260);
        await using var script = RunScript.Start(3, new Dictionary<string, string>
        {
            ["ConnectionStrings__Webhooks"] = database,
            ["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/'),
            ["Orleans__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = TestPorts.Of(6270).ToString(CultureInfo.InvariantCulture),
            ["Orleans__ClusterId"] = Cluster,
            ["Orleans__ServiceId"] = Cluster,
            ["Webhooks__Providers__hmac__Secrets__0"] = Service.HmacSecret,
            ["Webhooks__Processing__RecoverAfter"] = "00:00:03",
            ["Webhooks__Processing__SweepInterval"] = "00:00:00.500",
            ["Webhooks__RateLimit__PermitsPerSecond"] = "0",
            ["Logging__LogLevel__Default"] = "Warning",
            ["WEBHOOKS_RESTART_DELAY"] = "2",
        });
        await script.WaitForOutputAsync("==> ready:", TimeSpan.FromSeconds(120));
        await Eventually.MatchesAsync(() => ActiveSilosAsync(database), active => active == 3, TimeSpan.FromSeconds(60), "3 silos active");
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

        // One payment, then a stream of 1-cent refunds of it: its refunded amount counts how often each was applied.
        var paymentId = $"pay_{Guid.NewGuid():N}";
        var paymentEvent = $"evt_{Guid.NewGuid():N}";
        using (var payment = await http.SendAsync(Signing.Hmac(Signing.SeedEvent(paymentEvent, "payment.completed", paymentId, 1_000_000, "usd"))))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, payment.StatusCode);
        }
        await using var stream = new DeliveryStream(http, id => Signing.SeedEvent(id, "refund.processed", $"re_{id}", 1, "usd", payment: paymentId), workers: 4);
        await Eventually.MatchesAsync(() => Task.FromResult(stream.Accepted.Count), n => n >= 20, TimeSpan.FromSeconds(60), "deliveries flowing");

        var victim = script.SiloPids(1).Single();
        var clock = Stopwatch.StartNew();
        RunScript.Kill(victim, "KILL");
        await script.WaitForOutputAsync($"silo 1 (pid {victim}) exited with status 137; starting it again", TimeSpan.FromSeconds(30));
        await Eventually.MatchesAsync(() => Task.FromResult(script.SiloPids(1).Count), n => n == 2, TimeSpan.FromSeconds(30), "silo 1 started again");
        // Its new incarnation joins the cluster, and the killed one is declared dead (Orleans' status 6).
        await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<string>(database,
                "SELECT string_agg(status::text, ',' ORDER BY generation) FROM orleans_membership WHERE deployment_id = @c AND port = @p",
                ("c", Cluster), ("p", siloPort + 1)),
            statuses => statuses == "6,3", TimeSpan.FromSeconds(90), "silo 1's killed incarnation dead and its new one active");
        var acceptedAtRejoin = stream.Accepted.Count;
        output.WriteLine($"silo 1 rejoined {clock.Elapsed.TotalSeconds:F1} s after kill -9; {acceptedAtRejoin} events accepted by then");
        await Eventually.MatchesAsync(() => Task.FromResult(stream.Accepted.Count), n => n >= acceptedAtRejoin + 20, TimeSpan.FromSeconds(90), "deliveries still flowing");
        await stream.StopAsync();

        // The other silos and the web API kept running: run.sh started each of them once.
        Assert.Single(script.SiloPids(0));
        Assert.Single(script.SiloPids(2));
        Assert.Single(script.WebApiPids());
        // A provider saw 200s and, while the killed silo's grains moved, 503s to retry: nothing else.
        Assert.All(stream.Answers.Keys, answer => Assert.Contains(answer, new[] { "200", "503" }));

        output.WriteLine($"answers: {string.Join(", ", stream.Answers.Select(a => $"{a.Key}: {a.Value}"))}");
        var ids = stream.Accepted.Append(paymentEvent).ToArray();
        await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM webhook_events WHERE state = 'processed' AND external_id = ANY(@ids)", ("ids", ids)),
            processed => processed == ids.Length, TimeSpan.FromSeconds(90), $"all {ids.Length} accepted events processed");
        Assert.Equal(ids.Length, await TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM webhook_events"));
        var view = (await Eventually.MatchesAsync(async () =>
        {
            using var response = await http.GetAsync($"/api/payments/hmac/{paymentId}");
            return response.IsSuccessStatusCode ? System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : (System.Text.Json.JsonElement?)null;
        }, p => p is not null, TimeSpan.FromSeconds(30), "the payment readable"))!.Value;
        Assert.Equal(stream.Accepted.Count * 0.01m, view.GetProperty("refundedAmount").GetDecimal());
    }

    private static Task<long> ActiveSilosAsync(string database) =>
        TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM orleans_membership WHERE deployment_id = @c AND status = 3", ("c", Cluster));
}
