using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Webhooks.Grains.Interfaces.Telemetry;

namespace Orleans.Webhooks.Silo;

public static class SiloTelemetryExtensions
{
    /// <summary>Orleans' and our metrics and traces, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
    public static IHostApplicationBuilder AddWebhooksSiloTelemetry(this IHostApplicationBuilder builder)
    {
        // Without an exporter there is nobody to read spans and metrics, and recording a span for every grain call is
        // not free on the hot path: turn it all on only when there is somewhere to send it.
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter("Microsoft.Orleans", MetricNames.Meter, "Npgsql"))
            .WithTracing(tracing => tracing.AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Npgsql"))
            .UseOtlpExporter();
        return builder;
    }
}
