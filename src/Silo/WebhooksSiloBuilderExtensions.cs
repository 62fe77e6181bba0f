using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Runtime.Hosting;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Streams;
using Orleans.Webhooks.Grains;
using Orleans.Webhooks.Grains.Destinations;
using Orleans.Webhooks.Grains.Directory;
using Orleans.Webhooks.Grains.Domain;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.Processing;
using Orleans.Webhooks.Grains.Routing;

namespace Orleans.Webhooks.Silo;

public static class WebhooksSiloBuilderExtensions
{
    private const string Invariant = WebhooksConfiguration.AdoNetInvariant;

    /// <summary>A silo of the webhooks cluster: ADO.NET clustering on PostgreSQL plus everything in <see cref="AddWebhooksSiloServices"/>.</summary>
    public static IHostApplicationBuilder AddWebhooksSilo(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var connectionString = configuration.WebhooksConnectionString();
        var providersConnectionString = ConnectionPools.WithDefaults(connectionString, ConnectionPools.OrleansProviders);
        var options = configuration.OrleansSettings();
        // The same section checked as options, with the rest of the settings before anything starts (SettingsCheck).
        builder.Services.AddValidatedOptions<OrleansOptions, OrleansOptionsValidator>(configuration, OrleansOptions.SectionName);
        builder.Services.AddSingleton<IValidateOptions<OrleansOptions>, AdvertisedAddressValidator>();
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });
            // A malformed address stops the silo in the settings check, before anything starts; loopback stands in until then.
            var advertised = AdvertisedAddress.Problem(options) is null ? options.ResolveAdvertisedAddress() : IPAddress.Loopback;
            // Another host's silos and clients must reach this one: listen on every interface unless it is loopback only.
            silo.ConfigureEndpoints(advertised, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
            silo.UseAdoNetClustering(clustering =>
            {
                clustering.Invariant = Invariant;
                clustering.ConnectionString = providersConnectionString;
            });
            silo.UseAdoNetReminderService(reminders =>
            {
                reminders.Invariant = Invariant;
                reminders.ConnectionString = providersConnectionString;
            });
            silo.AddWebhooksSiloServices(configuration, connectionString);
        });
        return builder;
    }

    /// <summary>Storage, streams, the dashboard's silo side and our services: all a silo needs apart from clustering (tests bring their own).</summary>
    public static ISiloBuilder AddWebhooksSiloServices(this ISiloBuilder silo, IConfiguration configuration, string connectionString)
    {
        // Anything of Orleans' own that keeps grain state goes to PostgreSQL with Orleans' default serializer, which reads
        // back every type Orleans writes (our plain JSON is for our own state only).
        silo.AddAdoNetGrainStorageAsDefault(storage =>
        {
            storage.Invariant = Invariant;
            storage.ConnectionString = ConnectionPools.WithDefaults(connectionString, ConnectionPools.OrleansProviders);
        });
        silo.AddWebhooksSiloRuntime(configuration);
        silo.AddDashboard();
        silo.Services.AddWebhookPostgresStorage(ConnectionPools.WithDefaults(connectionString, ConnectionPools.EventStore));
        silo.Services.AddWebhookDestinations(configuration);
        return silo;
    }

    /// <summary>
    /// Streams, directory and collection settings and our grains' services, without storage: the caller adds an event
    /// store and the domain grains' storage (PostgreSQL in <see cref="AddWebhooksSiloServices"/>, in memory in tests).
    /// </summary>
    public static ISiloBuilder AddWebhooksSiloRuntime(this ISiloBuilder silo, IConfiguration configuration)
    {
        // The stream carries only what is already committed in webhook_events; the recovery sweep covers what it drops.
        // Routers subscribe implicitly, so the stream needs no pub/sub state at all (ImplicitOnly): nothing of Orleans'
        // is stored for it, and nothing a crash leaves behind (producers never unregistered) can stop a partition.
        // Delivered events are not needed in the stream's cache (the table has them): the defaults (5 to 30 minutes) hold
        // every event of the last minutes in memory, at a few thousand events a second most of the silo's memory.
        silo.AddMemoryStreams(EventStreams.ProviderName, streams =>
        {
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            // Each queue grain on the silo whose pulling agent takes its queue: an event crosses silos at most once.
            streams.UseEventQueueLocality();
            streams.ConfigureCacheEviction(eviction => eviction.Configure(cache =>
            {
                cache.DataMinTimeInCache = TimeSpan.FromSeconds(10);
                cache.DataMaxAgeInCache = TimeSpan.FromMinutes(1);
            }));
        });
        // Look for idle activations every 10 s rather than every minute, so that short age limits (30 s for payments,
        // orders, customers and events) keep the number of activations, and the memory, in proportion to the event rate.
        silo.Configure<GrainCollectionOptions>(collection => collection.CollectionQuantum = TimeSpan.FromSeconds(10));
        // The directory cache keeps an entry for every activation it has seen, gone or not, up to CacheSize (default
        // 1,000,000: two entries per event here, a few hundred MiB). Entries for grains that are gone are useless to us,
        // and the ones still alive are found again with one lookup. 10,000 covers the grains active in the last seconds;
        // a larger cache keeps entries alive across collections, which lengthens the gen0 pauses the slowest answers
        // wait for (deploy/bench/README.md, "Memory over a long run").
        silo.Configure<GrainDirectoryOptions>(directory => directory.CacheSize = 10_000);
        // Event and payment grains register on their own silo only (see SiloLocalGrainDirectory).
        silo.Services.AddSingleton<SiloLocalGrainDirectory>();
        silo.AddGrainDirectory(SiloLocalGrainDirectory.Name, (services, _) => services.GetRequiredService<SiloLocalGrainDirectory>());
        // Whether this silo processes events, for the other silos: the stream's queues are dealt among those that do.
        var processing = configuration.GetSection(ProcessingOptions.SectionName).GetValue<bool?>(nameof(ProcessingOptions.Enabled)) ?? true;
        silo.UseSiloMetadata(new Dictionary<string, string> { [EventQueueOwners.ProcessingMetadataKey] = processing ? "true" : "false" });
        silo.Services.AddWebhookGrains(configuration);
        return silo;
    }
}
