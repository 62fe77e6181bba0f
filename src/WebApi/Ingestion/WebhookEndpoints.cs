using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Webhooks.WebApi.Providers;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Ingestion;

/// <summary>
/// <c>/webhook/{provider}</c>: deliveries are POSTed (<see cref="WebhookReceiver"/>, behind the provider's rate limit);
/// a GET answers Mailchimp's validation ping.
/// </summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var webhook = app.MapGroup("/webhook/{provider}");
        webhook.MapPost("", (string provider, HttpContext context, WebhookReceiver receiver, CancellationToken cancellationToken) =>
                receiver.ReceiveAsync(provider, context, cancellationToken))
            .RequireRateLimiting(WebhookRateLimits.ProviderPolicy);
        webhook.MapGet("", ValidationPing);
        return app;
    }

    /// <summary>Mailchimp checks a webhook URL with a GET before it saves it; other schemes only POST.</summary>
    private static Results<Ok, ProblemHttpResult> ValidationPing(string provider, HttpContext context, ProviderRegistry providers)
    {
        if (!providers.TryGet(provider, out var resolved))
        {
            return Problems.NotFound($"No provider named '{provider}' is configured.");
        }
        if (resolved.Scheme.Name != SchemeNames.Mailchimp)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: "Method not allowed", detail: "Deliveries are POSTed.");
        }
        var secret = context.Request.Query["secret"].ToString();
        return resolved.Options.Secrets.Any(s => SignatureCompare.TextEquals(s, secret))
            ? TypedResults.Ok()
            : Problems.Unauthorized(SignatureResult.Mismatch);
    }
}
