using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Webhooks.Grains.Interfaces.Telemetry;
using Orleans.Webhooks.WebApi.Management;
using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Telemetry;

public static class TelemetryExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Metrics of ASP.NET Core, the Orleans client, our deliveries, the cluster (<see cref="ClusterMetrics"/>) and the push
    /// destinations (<see cref="PushMetrics"/>), served
    /// to Prometheus at <see cref="MetricsPath"/>; with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set (the standard OpenTelemetry
    /// variables apply), the same metrics and traces also go out over OTLP.
    /// </summary>
    public static IHostApplicationBuilder AddWebhooksTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ClusterMetrics>();
        builder.Services.AddSingleton<PushMetrics>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter("Microsoft.Orleans", MetricNames.Meter, ClusterMetrics.MeterName)
                .AddView(ClusterMetrics.LatencyInstrument, new ExplicitBucketHistogramConfiguration { Boundaries = ClusterMetrics.LatencyBuckets })
                .AddPrometheusExporter());
        // Without an OTLP endpoint there is nobody to read spans, and recording a span for every grain call is not free
        // on the hot path: traces only when there is somewhere to send them.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddAspNetCoreInstrumentation()
                    .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"))
                .UseOtlpExporter();
        }
        return builder;
    }

    /// <summary>
    /// <c>/metrics</c> in Prometheus' text format, for the callers the management API serves (the same key, or loopback
    /// only without one; the key also as a bearer token). The cluster's and the destinations' numbers are read from
    /// PostgreSQL just before the exporter writes them.
    /// </summary>
    public static IEndpointRouteBuilder MapWebhooksMetrics(this IEndpointRouteBuilder app)
    {
        var cluster = app.ServiceProvider.GetRequiredService<ClusterMetrics>();
        var push = app.ServiceProvider.GetRequiredService<PushMetrics>();
        var options = app.ServiceProvider.GetRequiredService<IOptionsMonitor<WebhooksOptions>>();
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            // Prometheus sends a credential only as Authorization (before 2.55): its bearer token counts as X-Api-Key here.
            if (!context.Request.Headers.ContainsKey(ManagementAccessFilter.HeaderName)
                && context.Request.Headers.Authorization.ToString() is var authorization
                && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                context.Request.Headers[ManagementAccessFilter.HeaderName] = authorization["Bearer ".Length..].Trim();
            }
            if (ManagementAccessFilter.Refusal(context, options.CurrentValue.ManagementApiKey) is { } refusal)
            {
                await refusal.ExecuteAsync(context);
                return;
            }
            await Task.WhenAll(cluster.RefreshAsync(context.RequestAborted), push.RefreshAsync(context.RequestAborted));
            await next(context);
        }), optionsName: null);
        return app;
    }
}
