using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Orleans.Webhooks.Grains.Processing;
using Orleans.Webhooks.Grains.Routing;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>What the grains need on a silo: the event store on PostgreSQL, routing, and the recovery sweep.</summary>
    public static IServiceCollection AddWebhookGrains(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        services.AddOptions<ProcessingOptions>()
            .Bind(configuration.GetSection(ProcessingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString) { Name = "webhooks" }.Build());
        services.AddSingleton<EventStore>();
        services.AddSingleton<EventProcessor>();
        services.AddSingleton<StreamHealth>();
        services.AddSingleton<EventPublisher>();
        services.TryAddSingleton<IEventDispatcher, EventDispatcher>();
        services.AddHostedService<RecoverySweep>();
        return services;
    }
}
