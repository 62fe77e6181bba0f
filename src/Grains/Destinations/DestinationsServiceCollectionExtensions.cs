using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.ChangeLog;
using Orleans.Webhooks.Grains.Interfaces.Destinations;
using Polly;

namespace Orleans.Webhooks.Grains.Destinations;

public static class DestinationsServiceCollectionExtensions
{
    /// <summary>
    /// Push to the destinations of <c>Webhooks:Destinations</c> from this silo: the settings (validated at start), the
    /// HTTP client, and the keep-alive that runs each destination's sender somewhere in the cluster.
    /// </summary>
    public static IServiceCollection AddWebhookDestinations(this IServiceCollection services, IConfiguration configuration)
    {
        // The web API checks the same settings with the same validator: neither runs with a destination it could not serve.
        var section = configuration.GetSection(DestinationsOptions.SectionName);
        services.AddOptions<DestinationsOptions>().Configure(options => section.Bind(options.Destinations)).ValidateOnStart();
        // Secrets read through IOptionsMonitor rotate with the configuration, without a restart.
        services.TryAddSingleton<IOptionsChangeTokenSource<DestinationsOptions>>(new ConfigurationChangeTokenSource<DestinationsOptions>(section));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DestinationsOptions>, DestinationsOptionsValidator>());
        services.TryAddKeyedSingleton(DestinationClock.Key, TimeProvider.System);
        services.AddSingleton<ChangeLogReader>();
        services.AddSingleton<DestinationStore>();
        services.AddSingleton<DestinationSender>();
        services.AddHostedService<DestinationKeepAlive>();
        services.AddHttpClient(DestinationSender.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The factory's request logging (a scope and two log calls per POST, several POSTs per event) says nothing
            // the pump does not: it logs a destination that starts failing, and its metrics count every POST.
            .RemoveAllLoggers()
            // A redirect is not a delivery: it is a failure to fix in the destination's Url, not to follow.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            })
            .AddResilienceHandler("destination", pipeline =>
            {
                // A couple of quick tries for a blip; longer outages are the destination grain's backoff.
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    Delay = TimeSpan.FromMilliseconds(100),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = false,
                });
                pipeline.AddTimeout(new HttpTimeoutStrategyOptions
                {
                    TimeoutGenerator = args => ValueTask.FromResult(DestinationSender.TimeoutOf(args.Context)),
                });
            });
        return services;
    }
}
