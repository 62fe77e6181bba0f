using System.Diagnostics;
using Orleans.Webhooks.Testing;
using Xunit.Abstractions;

namespace Orleans.Webhooks.EndToEnd.Tests.Operations;

/// <summary>SIGTERM drains a silo: restarting the three silos of a cluster one at a time under load loses nothing.</summary>
public sealed class RollingRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RollingRestartOfThreeSilos_UnderLoad_LosesNothing_AndAnswersNo5xxBut503()
    {
        await using var service = await Service.StartAsync("webhooks_test_rolling", 6300, silos: 3, environment: Service.RecoverFast());
        await using var load = await RefundLoad.StartAsync(service.Http, workers: 4);
        await load.WaitForMoreAsync(20, TimeSpan.FromSeconds(60), "deliveries flowing");

        for (var silo = 0; silo < 3; silo++)
        {
            // As an operator waits for a restarted silo to be up before the next: its host has finished starting.
            await WaitUntilStartedAsync(service.Silo(silo));
            var clock = Stopwatch.StartNew();
            await service.Silo(silo).StopAsync();
            var stopped = clock.Elapsed;
            // A silo that drained in time exits by itself with 0; StopAsync kills one still running after 30 s.
            Assert.True(service.Silo(silo).ExitCode == 0, $"silo {silo} exited with {service.Silo(silo).ExitCode} after {stopped.TotalSeconds:F1} s:\n{service.Silo(silo).Output}");
            service.StartSilo(silo);
            await Eventually.MatchesAsync(
                () => TestDatabase.ScalarAsync<long>(service.ConnectionString,
                    "SELECT count(*) FROM orleans_membership WHERE deployment_id = @c AND status = 3", ("c", service.ClusterId)),
                active => active == 3, TimeSpan.FromSeconds(60), $"silo {silo} back in the cluster");
            output.WriteLine($"silo {silo}: stopped in {stopped.TotalSeconds:F1} s, back after {clock.Elapsed.TotalSeconds:F1} s; {load.Stream.Accepted.Count} events accepted so far");
            await load.WaitForMoreAsync(10, TimeSpan.FromSeconds(60), $"deliveries flowing after silo {silo} restarted");
        }

        await load.StopAndVerifyAsync(service.ConnectionString);
        output.WriteLine($"answers: {string.Join(", ", load.Stream.Answers.Select(a => $"{a.Key}: {a.Value}"))}");
    }

    [Fact]
    public async Task SiloStoppedWhileStarting_ExitsWith0()
    {
        var database = await TestDatabase.CreateAsync("webhooks_test_stop_starting");
        await using var silo = ServiceProcess.Start("Silo", new Dictionary<string, string>
        {
            ["ConnectionStrings__Webhooks"] = database,
            ["Orleans__ClusterId"] = "e2e-stop-starting",
            ["Orleans__ServiceId"] = "e2e-stop-starting",
            ["Orleans__SiloPort"] = TestPorts.Of(6360).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = TestPorts.Of(6370).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await Eventually.MatchesAsync(() => Task.FromResult(silo.Output), o => o.Contains("Starting silo", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the silo starting");

        await silo.StopAsync();

        Assert.True(silo.ExitCode == 0, $"exit code {silo.ExitCode}:\n{silo.Output}");
        // The stop came during the start, which is the case under test (a stop after it is the rolling restart's).
        Assert.False(silo.HasStarted, "the silo had finished starting before SIGTERM");
    }

    private static Task WaitUntilStartedAsync(ServiceProcess silo) =>
        Eventually.MatchesAsync(() => Task.FromResult(silo.HasStarted), started => started, TimeSpan.FromSeconds(60), "the silo's host started");
}
