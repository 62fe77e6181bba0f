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
}
