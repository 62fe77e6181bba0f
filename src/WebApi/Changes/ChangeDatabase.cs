using Npgsql;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.WebApi.Database;

namespace Orleans.Webhooks.WebApi.Changes;

/// <summary>The web API's own small pool on PostgreSQL, for the reads of the change feed and the lists.</summary>
public sealed class ChangeDatabase(IConfiguration configuration) : IAsyncDisposable
{
    /// <summary>
    /// Connections for the feed's and the lists' reads. Long polls hold none while they wait (they wait for a
    /// notification), so a few serve many readers, and the cap keeps a burst of readers from taking the connections
    /// PostgreSQL has for the silos.
    /// </summary>
    private const int PoolSize = 10;

    private readonly string _connectionString = configuration.WebhooksConnectionString();

    public NpgsqlDataSource Source { get; } = DataSources.Create(configuration, "webhooks-api-changes", PoolSize);

    /// <summary>
    /// A connection of its own for LISTEN, outside the pool: it is held for the life of the process, and built from the
    /// configured string because a data source's <c>ConnectionString</c> leaves the password out.
    /// </summary>
    public NpgsqlConnection CreateListenerConnection() => new(new NpgsqlConnectionStringBuilder(_connectionString)
    {
        Pooling = false,
        KeepAlive = 15,
        ApplicationName = "webhooks-api-changes-listen",
    }.ConnectionString);

    public ValueTask DisposeAsync() => Source.DisposeAsync();
}
