using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.TestingHost;
using Orleans.Webhooks.Grains.Processing;
using Orleans.Webhooks.Silo;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests;

/// <summary>A two-silo Orleans test cluster with our real storage, streams and grains on a PostgreSQL database of its own.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int MaxAttempts = 4;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestDatabase.CreateAsync("webhooks_test_grains");
        Cluster = await DeployAsync(ConnectionString, new Dictionary<string, string?>
        {
            ["Webhooks:Processing:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Webhooks:Processing:InitialBackoff"] = "00:00:00.050",
            ["Webhooks:Processing:RecoverAfter"] = "00:00:03",
            ["Webhooks:Processing:SweepInterval"] = "00:00:00.500",
        });
    }

    /// <summary>
    /// Starts two silos with the product's services on <paramref name="connectionString"/> and the given settings, each
    /// dispatching through a <see cref="FaultInjectingDispatcher"/> (which records where every event was routed).
    /// <paramref name="firstSiloSettings"/>, when given, apply to the first silo only (on top of the others).
    /// </summary>
    public static async Task<InProcessTestCluster> DeployAsync(
        string connectionString, IReadOnlyDictionary<string, string?> settings, IReadOnlyDictionary<string, string?>? firstSiloSettings = null)
    {
        var shared = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var first = firstSiloSettings is null ? shared : new ConfigurationBuilder().AddInMemoryCollection(settings).AddInMemoryCollection(firstSiloSettings).Build();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((options, silo) =>
        {
            var configuration = options.SiloName == "Silo_0" ? first : shared;
            silo.Services.AddSingleton<IEventDispatcher>(services => new FaultInjectingDispatcher(
                new EventDispatcher(services.GetRequiredService<IGrainFactory>()),
                services.GetRequiredService<IGrainContextAccessor>(),
                services.GetRequiredService<ILocalSiloDetails>()));
            silo.AddWebhooksSiloServices(configuration, connectionString);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
