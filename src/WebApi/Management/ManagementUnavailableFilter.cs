using Orleans.Webhooks.WebApi.Ingestion;

namespace Orleans.Webhooks.WebApi.Management;

/// <summary>
/// When the cluster or PostgreSQL cannot answer a management request (no silo, a grain call that fails or takes too
/// long), the answer is 503 with Retry-After, as for deliveries, rather than the 500 of an unhandled exception.
/// </summary>
public sealed partial class ManagementUnavailableFilter(ILogger<ManagementUnavailableFilter> logger) : IEndpointFilter
{
    /// <summary>As long as a delivery waits for its event grain.</summary>
    private static readonly TimeSpan Timeout = WebhookReceiver.AcceptTimeout;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var aborted = context.HttpContext.RequestAborted;
        try
        {
            return await next(context).AsTask().WaitAsync(Timeout, aborted);
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            LogUnavailable(logger, ex, context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return Problems.Unavailable("The cluster or the database did not answer; retry later.");
        }
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Error, Message = "Management request {Method} {Path} failed; answered 503")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method, string path);
}
