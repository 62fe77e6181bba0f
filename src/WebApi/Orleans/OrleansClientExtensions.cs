using Orleans.Configuration;
using Orleans.Dashboard;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Configuration;

namespace Orleans.Webhooks.WebApi.Orleans;

public static partial class OrleansClientExtensions
{
    /// <summary>The web API is an Orleans client: it finds the silos through the ADO.NET membership table on PostgreSQL.</summary>
    public static IHostApplicationBuilder AddWebhooksOrleansClient(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var settings = configuration.OrleansSettings();
        // The same section checked as options, with the rest of the settings before anything starts (SettingsCheck).
        builder.Services.AddOptions<OrleansOptions>().Bind(configuration.GetSection(OrleansOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OrleansOptions>>(new SectionValidator<OrleansOptions>(new OrleansOptionsValidator(), OrleansOptions.SectionName));
        var connectionString = configuration.WebhooksConnectionString();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = settings.ClusterId;
                cluster.ServiceId = settings.ServiceId;
            });
            client.UseAdoNetClustering(clustering =>
            {
                clustering.Invariant = WebhooksConfiguration.AdoNetInvariant;
                clustering.ConnectionString = connectionString;
            });
            // Start even when no silo is up yet (they may start after us); requests answer 503 until one is.
            client.UseConnectionRetryFilter(async (exception, cancellationToken) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                return true;
            });
            client.AddDashboard();
        });
        return builder;
    }
}
