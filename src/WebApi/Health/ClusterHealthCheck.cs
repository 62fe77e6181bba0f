using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Interfaces.Processing;

namespace Orleans.Webhooks.WebApi.Health;

/// <summary>
/// Ready when a silo answers and that silo reaches PostgreSQL: one grain call checks both. Degraded (still 200: events
/// are accepted and processed, off the stream) while a silo reports a stream partition that refuses events.
/// </summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<StreamFault> faults;
        try
        {
            await grains.GetGrain<IEventQueryGrain>(0).PingAsync().WaitAsync(Timeout, cancellationToken);
            faults = await grains.GetGrain<IProcessingHealthGrain>(0).GetFaultsAsync().WaitAsync(Timeout, cancellationToken);
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The cluster or PostgreSQL does not answer.", ex);
        }
        if (faults.Count == 0)
        {
            return HealthCheckResult.Healthy();
        }
        var data = faults.ToDictionary(f => $"{f.Silo} partition {f.Partition}", f => (object)$"{f.Failures} failures since {f.Since:O}: {f.Cause}");
        return HealthCheckResult.Degraded(
            $"{faults.Count} stream partition(s) refuse events; their events go to other partitions or are processed directly.", data: data);
    }
}
