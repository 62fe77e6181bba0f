using Npgsql;
using Orleans.Webhooks.Grains.Interfaces.Hosting;

namespace Orleans.Webhooks.WebApi.Changes;

/// <summary>The web API's own small pool on PostgreSQL, for the reads of the change feed and the lists.</summary>
public sealed class ChangeDatabase(IConfiguration configuration) : IAsyncDisposable
{
    public NpgsqlDataSource Source { get; } = new NpgsqlDataSourceBuilder(configuration.WebhooksConnectionString()) { Name = "webhooks-api-changes" }.Build();

    public string ConnectionString => Source.ConnectionString;

    public ValueTask DisposeAsync() => Source.DisposeAsync();
}
