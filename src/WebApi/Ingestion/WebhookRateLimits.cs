using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.WebApi.Providers;
using Orleans.Webhooks.WebApi.Rejections;

namespace Orleans.Webhooks.WebApi.Ingestion;

/// <summary>
/// Both rate limits of <c>POST /webhook/{provider}</c>, ASP.NET's rate limiter with token buckets refilled every second:
/// per client address (<c>Webhooks:RateLimit:PerClientPermitsPerSecond</c>, off by default, the global limiter so that
/// it runs first) and per provider (<c>PermitsPerSecond</c>, the endpoint's policy). Either answers 429 with Retry-After,
/// and the refusal goes into the audit. With both off a request does not pass through the limiter at all.
/// </summary>
public static class WebhookRateLimits
{
    public const string ProviderPolicy = "webhooks";

    /// <summary>The period a bucket refills in: the "per second" of the settings. Tests register a longer one so that no refill happens while they count.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(1);

    public static IServiceCollection AddWebhookRateLimits(this IServiceCollection services)
    {
        services.TryAddSingleton(new RateLimitWindow(DefaultWindow));
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var permits = Settings(context).PerClientPermitsPerSecond;
                return permits <= 0 || !IsDelivery(context)
                    ? RateLimitPartition.GetNoLimiter("")
                    : Bucket(context, context.Connection.RemoteIpAddress?.ToString() ?? "", permits);
            });
            // The global limiter's refusals come here; the provider policy has its own.
            limiter.OnRejected = (context, _) => Rejected(context, RejectionReasons.ClientRateLimited);
            limiter.AddPolicy<string, ProviderRateLimitPolicy>(ProviderPolicy);
        });
    }

    /// <summary>
    /// The rate limiter's middleware, run only while a limit is on. The settings are read per request (one look at the
    /// options monitor), so a limit switched on or off by a configuration reload applies to the next request.
    /// </summary>
    public static IApplicationBuilder UseWebhookRateLimits(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptionsMonitor<WebhooksOptions>>();
        return app.UseWhen(_ => options.CurrentValue.RateLimit is { PermitsPerSecond: > 0 } or { PerClientPermitsPerSecond: > 0 }, limited => limited.UseRateLimiter());
    }

    private static WebhooksOptions.RateLimitOptions Settings(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptionsMonitor<WebhooksOptions>>().CurrentValue.RateLimit;

    private static bool IsDelivery(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/webhook");

    private static RateLimitPartition<string> Bucket(HttpContext context, string key, int permits)
    {
        var window = context.RequestServices.GetRequiredService<RateLimitWindow>().Period;
        return RateLimitPartition.GetTokenBucketLimiter($"{key}/{permits}", _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = permits,
            TokensPerPeriod = permits,
            ReplenishmentPeriod = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static ValueTask Rejected(OnRejectedContext context, string reason)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var provider = http.Request.RouteValues["provider"]?.ToString() ?? http.Request.Path.Value?.Split('/').ElementAtOrDefault(2) ?? "";
        http.RequestServices.GetRequiredService<RejectionAudit>().Record(http, provider, reason, StatusCodes.Status429TooManyRequests);
        return ValueTask.CompletedTask;
    }

    /// <summary>The per-provider limit: one bucket per provider name.</summary>
    private sealed class ProviderRateLimitPolicy : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => (context, _) => Rejected(context, RejectionReasons.ProviderRateLimited);

        public RateLimitPartition<string> GetPartition(HttpContext httpContext)
        {
            var permits = Settings(httpContext).PermitsPerSecond;
            var provider = httpContext.Request.RouteValues["provider"]?.ToString()?.ToLowerInvariant() ?? "";
            return permits <= 0 ? RateLimitPartition.GetNoLimiter(provider) : Bucket(httpContext, provider, permits);
        }
    }
}
