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
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter("Microsoft.Orleans", WebhookMetrics.MeterName, "Npgsql"))
            .WithTracing(tracing => tracing.AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Npgsql"));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
        return builder;
    }
}
