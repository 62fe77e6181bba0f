using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.WebApi.Tests.Deployment;

/// <summary>deploy/prometheus/alerts.yml is valid and fires when it should (alerts.test.yml).</summary>
public sealed class AlertRulesTests
{
    private static readonly string Directory = Path.Combine(TestDatabase.RepositoryRoot, "deploy", "prometheus");

    [PromtoolFact]
    public async Task AlertRules_PassPromtoolCheck()
    {
        var (exitCode, output) = await Promtool.RunAsync(Directory, "check", "rules", "alerts.yml");
        Assert.True(exitCode == 0, output);
    }

    [PromtoolFact]
    public async Task AlertRules_FireInTheirUnitTests()
    {
        var (exitCode, output) = await Promtool.RunAsync(Directory, "test", "rules", "alerts.test.yml");
        Assert.True(exitCode == 0, output);
    }
}
