using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Webhooks.Grains.Domain;
using Orleans.Webhooks.Grains.Interfaces.Hosting;
using Orleans.Webhooks.Grains.Processing;
using Orleans.Webhooks.Grains.Retention;
using Orleans.Webhooks.Grains.Routing;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>What the grains need on a silo: the event store and the domain grains' storage on PostgreSQL, routing, the recovery sweep and the retention job.</summary>
    public static IServiceCollection AddWebhookGrains(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        services.AddValidatedOptions<ProcessingOptions, ProcessingOptionsValidator>(configuration, ProcessingOptions.SectionName);
        services.AddValidatedOptions<RetentionOptions, RetentionOptionsValidator>(configuration, RetentionOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString) { Name = "webhooks" }.Build());
        services.AddSingleton(services =>
        {
            var processing = services.GetRequiredService<IOptions<ProcessingOptions>>().Value;
            return new EventStore(services.GetRequiredService<NpgsqlDataSource>(), processing.Storage, processing.RecoverAfter, services.GetRequiredService<ILogger<EventStore>>());
        });
        services.AddSingleton(services => new GroupCommitGrainStorage(
            services.GetRequiredService<NpgsqlDataSource>(),
            services.GetRequiredService<IOptions<ProcessingOptions>>().Value.Storage,
            services.GetRequiredService<ILogger<GroupCommitGrainStorage>>()));
        services.AddSingleton<EventProcessor>();
        services.AddSingleton<StreamHealth>();
        services.AddSingleton<EventPublisher>();
        services.TryAddSingleton<IEventDispatcher, EventDispatcher>();
        services.AddHostedService<RecoverySweep>();
        services.AddHostedService<RetentionJob>();
        services.AddSingleton<QuietActivations>();
        services.AddHostedService(services => services.GetRequiredService<QuietActivations>());
        return services;
    }
}
