using Npgsql;
using Orleans.Webhooks.Grains.Interfaces.Configuration;

namespace Orleans.Webhooks.WebApi.Database;

/// <summary>
/// The web API's own small connection pools on PostgreSQL (the rejection audit, the change feed and lists, the reads
/// behind <c>/metrics</c>), apart from the Orleans client's and from one another. Each has a cap of its own, whatever the
/// connection string says (its <c>Maximum Pool Size</c> is for the silos' pools): a burst of reads never takes the
/// connections PostgreSQL has for the silos, nor the audit those of the change feed.
/// </summary>
public static class DataSources
{
    /// <summary>Statements each connection keeps prepared, unless the connection string sets it: the web API runs about a dozen, many times over.</summary>
    public const int MaxAutoPrepare = 16;

    public static NpgsqlDataSource Create(IConfiguration configuration, string name, int maxPoolSize)
    {
        var settings = new NpgsqlConnectionStringBuilder(configuration.WebhooksConnectionString()) { MaxPoolSize = maxPoolSize };
        settings.MinPoolSize = Math.Min(settings.MinPoolSize, maxPoolSize);
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = MaxAutoPrepare;
        }
        return new NpgsqlDataSourceBuilder(settings.ConnectionString) { Name = name }.Build();
    }
}
