namespace Orleans.Webhooks.EndToEnd.Tests.Infrastructure;

/// <summary>One silo and the web API, shared by the tests of a collection.</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public Service Service { get; private set; } = null!;

    public async Task InitializeAsync() => Service = await Service.StartAsync("webhooks_test_e2e", 5400);

    public async Task DisposeAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}
