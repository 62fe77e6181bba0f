using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Orleans.Webhooks.WebApi.Health;

public static class HealthExtensions
{
    private const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddWebhooksHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster-and-postgresql", tags: [ReadyTag]);
        return builder;
    }

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: the cluster and PostgreSQL answer too.</summary>
    public static IEndpointRouteBuilder MapWebhooksHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}
