using System.Globalization;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Operations;

/// <summary>
/// deploy/local/run.sh with a setting only the web API reads gone bad: the silo starts, the web API stops at once, and
/// run.sh stops the silo and repeats the web API's lines last.
/// </summary>
public sealed class RunScriptSettingsTests
{
    private const string Secret = "do-not-print-this-secret";

    [Fact]
    public async Task RunSh_WebApiWithBadSetting_StopsTheSilo_RepeatsTheLinesLast()
    {
        var database = await TestDatabase.CreateAsync("webhooks_test_runsh_settings");
        await using var script = RunScript.Start(1, new Dictionary<string, string>
        {
            ["ConnectionStrings__Webhooks"] = database,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{TestPorts.Of(6310)}",
            ["Orleans__SiloPort"] = TestPorts.Of(6320).ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = TestPorts.Of(6330).ToString(CultureInfo.InvariantCulture),
            ["Orleans__ClusterId"] = "e2e-runsh-settings",
            ["Webhooks__Providers__hmac__Secrets__0"] = Secret,
            ["Webhooks__Providers__hmac__ToleranceSeconds"] = "0",
            ["Dashboard__Password"] = Secret,
            ["Dashboard__Username"] = "",
        });

        var exitCode = await script.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.NotEqual(0, exitCode);
        var output = script.Output.Split('\n');
        var reported = Array.FindLastIndex(output, line => line.StartsWith("error: the web API stopped with status 78", StringComparison.Ordinal));
        Assert.True(reported >= 0, script.Output);
        // run.sh's stdout and stderr reach the test on two readers, so a line the silo logged while it stopped may come
        // after the report: the repeated lines are those indented by exactly four spaces (log entries have six).
        Assert.Equal(
            [
                "    Webhooks:Providers:hmac:ToleranceSeconds: must be between 1 and 86400.",
                "    Dashboard:Username: is required.",
            ],
            output[(reported + 1)..].Where(line => line.StartsWith("    ", StringComparison.Ordinal) && line.Length > 4 && line[4] != ' '));
        // The silo it started for the web API is stopped too.
        var silo = Assert.Single(script.SiloPids(0));
        Assert.False(Directory.Exists($"/proc/{silo}"), $"silo pid {silo} still runs");
        Assert.DoesNotContain(Secret, script.Output, StringComparison.Ordinal);
    }
}
