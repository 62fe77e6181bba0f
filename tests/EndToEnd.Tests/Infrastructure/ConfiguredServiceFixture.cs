namespace Orleans.Webhooks.EndToEnd.Tests.Infrastructure;

/// <summary>One silo and the web API with settings of a test class's own, shared by its tests (an <c>IClassFixture</c>).</summary>
public abstract class ConfiguredServiceFixture(string database, int basePort, IReadOnlyDictionary<string, string> environment) : IAsyncLifetime
{
    public Service Service { get; private set; } = null!;

    public async Task InitializeAsync() => Service = await Service.StartAsync(database, basePort, environment: environment);

    public async Task DisposeAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }
    }
}
