using System.Data.Common;
using System.Globalization;

namespace Orleans.Webhooks.Silo;

/// <summary>
/// Our defaults for a silo's connection pools, each applied only where the operator's connection string does not set
/// that key itself:
/// <list type="bullet">
/// <item>a pool cap: each silo holds two pools (the Orleans ADO.NET providers' and the event store's), and PostgreSQL's
/// default of 100 connections must fit a few silos;</item>
/// <item><c>Max Auto Prepare</c>: the same few statements run thousands of times a second, and without preparing them
/// PostgreSQL parses and plans each one again;</item>
/// <item><c>No Reset On Close</c>: nothing here leaves session state on a connection (no SET, temporary tables or
/// advisory locks), so the reset that would run on every return to the pool is pure cost.</item>
/// </list>
/// deploy/bench/README.md has what each saves.
/// </summary>
public static class ConnectionPools
{
    public const int OrleansProviders = 20;
    public const int EventStore = 10;

    /// <summary>
    /// How many distinct statements a connection keeps prepared: room for all of them (the 19 Orleans queries in
    /// deploy/sql/0001-0003 and our 11 in the event store and the grain storage).
    /// </summary>
    public const int MaxAutoPrepare = 64;

    public static string WithDefaults(string connectionString, int maxPoolSize)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var keys = builder.Keys.Cast<string>().Select(Normalise).ToHashSet();
        if (!keys.Contains("maxpoolsize") && !keys.Contains("maximumpoolsize"))
        {
            builder["Maximum Pool Size"] = maxPoolSize.ToString(CultureInfo.InvariantCulture);
        }
        if (!keys.Contains("maxautoprepare"))
        {
            builder["Max Auto Prepare"] = MaxAutoPrepare.ToString(CultureInfo.InvariantCulture);
        }
        if (!keys.Contains("noresetonclose"))
        {
            builder["No Reset On Close"] = "true";
        }
        return builder.ConnectionString;
    }

    private static string Normalise(string key) => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
}
