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


        await using var load = await RefundLoad.StartAsync(http, workers: 4);
        await load.WaitForMoreAsync(20, TimeSpan.FromSeconds(60), "deliveries flowing");

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
        output.WriteLine($"silo 1 rejoined {clock.Elapsed.TotalSeconds:F1} s after kill -9; {load.Stream.Accepted.Count} events accepted by then");
        await load.WaitForMoreAsync(20, TimeSpan.FromSeconds(90), "deliveries still flowing");

        // The other silos and the web API kept running: run.sh started each of them once.
        Assert.Single(script.SiloPids(0));
        Assert.Single(script.SiloPids(2));
        Assert.Single(script.WebApiPids());
        await load.StopAndVerifyAsync(database);
        output.WriteLine($"answers: {string.Join(", ", load.Stream.Answers.Select(a => $"{a.Key}: {a.Value}"))}");
    }

    private static Task<long> ActiveSilosAsync(string database) =>
        TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM orleans_membership WHERE deployment_id = @c AND status = 3", ("c", Cluster));
}
