using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.WebApi.Health;

/// <summary>Ready when a silo answers and that silo reaches PostgreSQL: one grain call checks both.</summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IEventQueryGrain>(0).PingAsync().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The cluster or PostgreSQL does not answer.", ex);
        }
    }
}
