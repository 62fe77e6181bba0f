using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Orleans.Webhooks.Grains.Interfaces.Destinations;

public static class DestinationsConfiguration
{
    /// <summary>
    /// <c>Webhooks:Destinations</c>, validated when the host starts: the web API and the silo both refuse to run with a
    /// destination they could not serve.
    /// </summary>
    public static IServiceCollection AddDestinationsOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DestinationsOptions>()
            .Configure(options => configuration.GetSection(DestinationsOptions.SectionName).Bind(options.Destinations))
            .ValidateOnStart();
        // Secrets read through IOptionsMonitor rotate with the configuration, without a restart.
        services.TryAddSingleton<IOptionsChangeTokenSource<DestinationsOptions>>(
            new ConfigurationChangeTokenSource<DestinationsOptions>(configuration.GetSection(DestinationsOptions.SectionName)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DestinationsOptions>, DestinationsOptionsValidator>());
        return services;
    }
}
