using System.Data.Common;

namespace Orleans.Webhooks.Grains.Interfaces.Hosting;

/// <summary>
/// Caps a connection pool unless the operator's connection string already does. Each silo holds two pools (the Orleans
/// ADO.NET providers' and the event store's); PostgreSQL's default of 100 connections must fit a few silos.
/// </summary>
public static class ConnectionPools
{
    public const int OrleansProviders = 20;
    public const int EventStore = 10;

    public static string WithDefaultMaxPoolSize(string connectionString, int maxPoolSize)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var hasLimit = builder.Keys.Cast<string>()
            .Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("maxpoolsize", StringComparison.OrdinalIgnoreCase)
                     || key.Replace(" ", "", StringComparison.Ordinal).Equals("maximumpoolsize", StringComparison.OrdinalIgnoreCase));
        if (!hasLimit)
        {
            builder["Maximum Pool Size"] = maxPoolSize;
        }
        return builder.ConnectionString;
    }
}
