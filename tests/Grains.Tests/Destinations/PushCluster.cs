using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using Orleans.Webhooks.Grains.Destinations;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.Interfaces.Destinations;
using Orleans.Webhooks.Silo;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Destinations;

/// <summary>
/// A two-silo test cluster with our real storage and grains on a database of its own, its destinations configured by
/// the test. Retries and the retry horizon run on <see cref="Time"/>, a fake clock the test advances; Orleans and the
/// HTTP timeouts keep real time.
/// </summary>
public sealed class PushCluster : IAsyncDisposable
{
    private readonly CollectingLoggerProvider _logs;

    private PushCluster(InProcessTestCluster cluster, string connectionString, FakeTimeProvider time, CollectingLoggerProvider logs)
    {
        _logs = logs;
        Cluster = cluster;
        ConnectionString = connectionString;
        Time = time;
    }

    public InProcessTestCluster Cluster { get; }

    public string ConnectionString { get; }

    public FakeTimeProvider Time { get; }

    public static async Task<PushCluster> StartAsync(string database, Dictionary<string, string?> settings)
    {
        var connectionString = await TestDatabase.CreateAsync(database);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new CollectingLoggerProvider();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddLogging(logging => logging.AddProvider(logs));
            silo.Services.AddKeyedSingleton<TimeProvider>(DestinationClock.Key, time);
            silo.AddWebhooksSiloServices(configuration, connectionString);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new PushCluster(cluster, connectionString, time, logs);
    }

    /// <summary>Settings of one destination, <c>Webhooks:Destinations:&lt;name&gt;</c>, sending to <paramref name="receiver"/>.</summary>
    public static Dictionary<string, string?> Destination(string name, PushReceiver receiver, Dictionary<string, string?>? extra = null)
    {
        var prefix = $"{DestinationsOptions.SectionName}:{name}";
        var settings = new Dictionary<string, string?>
        {
            [$"{prefix}:Url"] = receiver.Url,
            [$"{prefix}:Secrets:0"] = receiver.Secret,
            [$"{prefix}:Format"] = receiver.Format,
            [$"{prefix}:InitialBackoff"] = "00:00:01",
            [$"{prefix}:MaxBackoff"] = "00:00:04",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[$"{prefix}:{key}"] = value;
        }
        return settings;
    }

    /// <summary>What the silos logged: their warnings and errors, and our own information.</summary>
    public string Logs => string.Join('\n', _logs.Lines);

    public IDestinationGrain Destination(string name) => Cluster.Client.GetGrain<IDestinationGrain>(name);

    /// <summary>
    /// Polls <paramref name="read"/> until <paramref name="condition"/> holds, moving the fake clock on by
    /// <paramref name="step"/> before each poll so that backoffs elapse.
    /// </summary>
    public Task<T> AdvancingUntilAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan step, string because, TimeSpan? timeout = null) =>
        Eventually.MatchesAsync(async () =>
        {
            Time.Advance(step);
            return await read();
        }, condition, timeout ?? TimeSpan.FromSeconds(60), because);

    public Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters) =>
        TestDatabase.ScalarAsync<long>(ConnectionString, sql, parameters);

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
