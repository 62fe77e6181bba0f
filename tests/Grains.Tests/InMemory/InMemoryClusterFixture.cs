using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using Orleans.Webhooks.Grains.Domain;
using Orleans.Webhooks.Grains.Storage;
using Orleans.Webhooks.Silo;

namespace Orleans.Webhooks.Grains.Tests.InMemory;

/// <summary>
/// A two-silo test cluster with our streams, routing, processing and grains, and nothing on PostgreSQL: the events in an
/// <see cref="InMemoryEventStore"/> shared by both silos, payments, orders and customers in Orleans' memory grain storage.
/// </summary>
public sealed class InMemoryClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan RecoverAfter = TimeSpan.FromSeconds(2);

    public InMemoryEventStore Store { get; } = new(RecoverAfter, TimeProvider.System);

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:Processing:MaxAttempts"] = "3",
            ["Webhooks:Processing:InitialBackoff"] = "00:00:00.020",
            ["Webhooks:Processing:RecoverAfter"] = RecoverAfter.ToString(),
            ["Webhooks:Processing:SweepInterval"] = "00:00:00.200",
        }).Build();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<IEventStore>(Store);
            // Plain JSON, as our PostgreSQL storage writes it: the state classes are not Orleans-serializable types.
            silo.AddMemoryGrainStorage(StorageNames.Domain, storage =>
                storage.GrainStorageSerializer = new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions())));
            silo.AddWebhooksSiloRuntime(configuration);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
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
public sealed class InMemoryClusterCollection : ICollectionFixture<InMemoryClusterFixture>
{
    public const string Name = "in-memory cluster";
}
