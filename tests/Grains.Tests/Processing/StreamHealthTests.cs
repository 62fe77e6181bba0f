using Microsoft.Extensions.DependencyInjection;
using Orleans.Webhooks.Grains.Interfaces.Processing;
using Orleans.Webhooks.Grains.Routing;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Processing;

/// <summary>A silo's record of a partition that refuses events, as the publisher and /health/ready see it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class StreamHealthTests(ClusterFixture fixture)
{
    [Fact]
    public async Task PartitionFails_SkippedReportedToTheCluster_ThenClearedWhenItTakesEventsAgain()
    {
        var health = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<StreamHealth>();
        var view = fixture.Client.GetGrain<IProcessingHealthGrain>(0);
        const int partition = 1_000; // beyond the configured partitions: no real publish touches it

        health.Failed(partition, new TimeoutException("queue grain does not answer"));
        health.Failed(partition, new TimeoutException("queue grain does not answer"));

        Assert.False(health.ShouldTry(partition));
        Assert.True(health.ShouldTry(partition + 1));
        var fault = Assert.Single(await Eventually.MatchesAsync(
            async () => (await view.GetFaultsAsync()).Where(f => f.Partition == partition).ToList(), faults => faults.Count == 1));
        Assert.Contains("TimeoutException: queue grain does not answer", fault.Cause, StringComparison.Ordinal);

        health.Succeeded(partition);

        Assert.True(health.ShouldTry(partition));
        await Eventually.MatchesAsync(
            async () => (await view.GetFaultsAsync()).Count(f => f.Partition == partition), count => count == 0, because: "the fault cleared");
    }
}
