using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Storage;
using Orleans.Webhooks.Grains.Domain;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.Processing;
using Orleans.Webhooks.Grains.Retention;
using Orleans.Webhooks.Grains.Routing;
using Orleans.Webhooks.Grains.Storage;
using Orleans.Webhooks.Grains.Storage.Postgres;

namespace Orleans.Webhooks.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// What the grains need on a silo apart from storage: routing, processing, the recovery sweep. The silo also needs an
    /// <see cref="IEventStore"/> and a grain storage named <see cref="StorageNames.Domain"/>
    /// (<see cref="AddWebhookPostgresStorage"/>, or in-memory ones in tests).
    /// </summary>
    public static IServiceCollection AddWebhookGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ProcessingOptions, ProcessingOptionsValidator>(configuration, ProcessingOptions.SectionName);
        services.AddValidatedOptions<RetentionOptions, RetentionOptionsValidator>(configuration, RetentionOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EventProcessor>();
        services.AddSingleton<StreamHealth>();
        services.AddSingleton<EventPublisher>();
        services.TryAddSingleton<IEventDispatcher, EventDispatcher>();
        services.AddHostedService<RecoverySweep>();
        services.AddSingleton<QuietActivations>();
        services.AddHostedService(services => services.GetRequiredService<QuietActivations>());
        services.AddSingleton(services => new DomainServices(
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<IOptions<RetentionOptions>>().Value,
            services.GetRequiredService<QuietActivations>()));
        return services;
    }

    /// <summary>
    /// The PostgreSQL implementation of storage: the event store, the group-commit storage of payments, orders and
    /// customers (which also writes their change log in the same commit), and the retention job that deletes old rows.
    /// </summary>
    public static IServiceCollection AddWebhookPostgresStorage(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString) { Name = "webhooks" }.Build());
        services.AddSingleton(services =>
        {
            var processing = services.GetRequiredService<IOptions<ProcessingOptions>>().Value;
            return new EventStore(services.GetRequiredService<NpgsqlDataSource>(), processing.Storage, processing.RecoverAfter, services.GetRequiredService<ILogger<EventStore>>());
        });
        services.AddSingleton<IEventStore>(services => services.GetRequiredService<EventStore>());
        services.AddSingleton(services => new GroupCommitGrainStorage(
            services.GetRequiredService<NpgsqlDataSource>(),
            services.GetRequiredService<IOptions<ProcessingOptions>>().Value.Storage,
            services.GetRequiredService<ILogger<GroupCommitGrainStorage>>()));
        services.AddKeyedSingleton<IGrainStorage>(StorageNames.Domain, (services, _) => services.GetRequiredService<GroupCommitGrainStorage>());
        services.AddHostedService<RetentionJob>();
        return services;
    }

    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and checks it with the generated validator
    /// when the host starts (and before, in <see cref="SettingsCheck"/>), each failure naming its key.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>, new()
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(new TValidator(), section));
        return services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }
}
