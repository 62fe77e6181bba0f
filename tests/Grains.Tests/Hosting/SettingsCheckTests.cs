using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.Processing;
using Orleans.Webhooks.Grains.Retention;

namespace Orleans.Webhooks.Grains.Tests.Hosting;

/// <summary>The check both programs run before they start: every problem of every section, one line each, naming the key.</summary>
public sealed class SettingsCheckTests
{
    private static IServiceProvider Services(Dictionary<string, string?> settings, Action<IServiceCollection>? more = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddValidatedOptions<ProcessingOptions, ProcessingOptionsValidator>(configuration, ProcessingOptions.SectionName);
        services.AddValidatedOptions<RetentionOptions, RetentionOptionsValidator>(configuration, RetentionOptions.SectionName);
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void GoodSettings_NoProblem() =>
        Assert.Empty(SettingsCheck.Problems(Services(new() { ["Webhooks:Processing:Storage:MaxBatch"] = "500" })));

    [Fact]
    public void ProblemsInSeveralSections_EveryOneAsKeyThenProblem()
    {
        var problems = SettingsCheck.Problems(Services(new()
        {
            ["Webhooks:Processing:MaxAttempts"] = "0",
            ["Webhooks:Processing:Storage:MaxBatch"] = "0",
            ["Webhooks:Retention:Rejections"] = "00:00:01",
        }));

        Assert.Equal(
            [
                "Webhooks:Processing:MaxAttempts: must be between 1 and 100.",
                "Webhooks:Processing:Storage:MaxBatch: must be between 1 and 10000.",
                "Webhooks:Retention:Rejections: must be between 01:00:00 and 3650.00:00:00.",
            ],
            problems.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ValueThatDoesNotConvert_NamedByKeyAndType_NotByValue()
    {
        var problem = Assert.Single(SettingsCheck.Problems(Services(new() { ["Webhooks:Processing:MaxAttempts"] = "whsec_not_a_number" })));

        Assert.Equal("Webhooks:Processing:MaxAttempts: is not a valid Int32.", problem);
    }

    [Fact]
    public void FailureThatIsNotASetting_GoesOnAsItIs()
    {
        var services = Services([], more => more.AddOptions<BrokenOptions>().Configure(_ => throw new InvalidOperationException("a bug, not a setting")).ValidateOnStart());

        var error = Assert.Throws<InvalidOperationException>(() => SettingsCheck.Problems(services));
        Assert.Equal("a bug, not a setting", error.Message);
    }

    [Fact]
    public void Passes_WritesEachProblemOnItsOwnLine()
    {
        using var error = new StringWriter();

        var passed = SettingsCheck.Passes(Services(new() { ["Webhooks:Retention:Events"] = "00:00:01", ["Webhooks:Retention:Changes"] = "00:00:01" }), error);

        Assert.False(passed);
        Assert.Equal(
            ["Webhooks:Retention:Changes: must be between 1.00:00:00 and 3650.00:00:00.", "Webhooks:Retention:Events: must be between 1.00:00:00 and 3650.00:00:00."],
            error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    public sealed class BrokenOptions;
}
