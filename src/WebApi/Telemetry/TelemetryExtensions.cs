using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Webhooks.Grains.Interfaces.Telemetry;

namespace Orleans.Webhooks.WebApi.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>
    /// Metrics and traces of ASP.NET Core, Orleans and our own meter, exported over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard OpenTelemetry variables apply).
    /// </summary>
    public static IHostApplicationBuilder AddWebhooksTelemetry(this IHostApplicationBuilder builder)
    {
        // Without an exporter there is nobody to read spans and metrics, and recording a span for every grain call is
        // not free on the hot path: turn it all on only when there is somewhere to send it.
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter("Microsoft.Orleans", WebhookMetrics.MeterName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"))
            .UseOtlpExporter();
        return builder;
    }
}
