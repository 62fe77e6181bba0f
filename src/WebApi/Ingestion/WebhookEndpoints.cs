using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Interfaces.Telemetry;
using Orleans.Webhooks.WebApi.Normalisation;
using Orleans.Webhooks.WebApi.Providers;
using Orleans.Webhooks.WebApi.Rejections;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Ingestion;

/// <summary>
/// <c>POST /webhook/{provider}</c>. Checks in the contract's order: provider known → client network → size → signature →
/// content → durable acceptance. The body is read once as raw bytes and verified before anything parses it. Every refusal
/// goes into the audit (<see cref="RejectionAudit"/>).
/// </summary>
public static partial class WebhookEndpoints
{
    /// <summary>Providers give up on a delivery after about 10-30 s; answer 503 before that so that they retry.</summary>
    internal static readonly TimeSpan AcceptTimeout = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhook/{provider}", ReceiveAsync).RequireRateLimiting(WebhookRateLimits.ProviderPolicy);
        app.MapGet("/webhook/{provider}", ValidationPingAsync);
        return app;
    }

    private static async Task<IResult> ReceiveAsync(
        string provider,
        HttpContext context,
        ProviderRegistry providers,
        IGrainFactory grains,
        TimeProvider time,
        RejectionAudit audit,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(WebhookEndpoints));
        if (!providers.TryGet(provider, out var resolved))
        {
            audit.Record(context, provider, RejectionReasons.UnknownProvider, StatusCodes.Status404NotFound);
            return Problems.NotFound($"No provider named '{provider}' is configured.");
        }
        void Count(string outcome) => WebhookMetrics.Deliveries.Add(1, new("provider", resolved.Name), new("outcome", outcome));
        IResult Refuse(string outcome, string reason, IResult problem, byte[]? read = null)
        {
            Count(outcome);
            audit.Record(context, resolved.Name, reason, ((IStatusCodeHttpResult)problem).StatusCode ?? StatusCodes.Status400BadRequest, read, RejectionAudit.SignatureHeadersOf(resolved));
            return problem;
        }

        if (!resolved.AllowsClient(context.Connection.RemoteIpAddress))
        {
            return Refuse("forbidden", RejectionReasons.NetworkNotAllowed, Problems.Forbidden());
        }
        var body = await ReadBodyAsync(context, resolved.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Refuse("too_large", RejectionReasons.TooLarge, Problems.TooLarge(resolved.MaxBodyBytes));
        }

        var request = new WebhookRequest(resolved.Name, resolved.Options, context.Request.Headers, context.Request.Query, context.Request.ContentType, body);
        var signature = await resolved.Scheme.Verifier.VerifyAsync(request, cancellationToken);
        if (signature == SignatureResult.KeyUnavailable)
        {
            LogKeyUnavailable(logger, resolved.Name);
            Count("unavailable");
            return Problems.Unavailable("The key to verify this delivery cannot be obtained right now; retry later.");
        }
        if (signature != SignatureResult.Valid)
        {
            LogRejected(logger, resolved.Name, signature);
            return Refuse("unauthorized", RejectionReasons.Of(signature), Problems.Unauthorized(signature), body);
        }

        var normaliser = resolved.Scheme.Normaliser;
        if (!normaliser.CanRead(MediaTypes.Of(context.Request.ContentType)))
        {
            return Refuse("unsupported_media_type", RejectionReasons.UnsupportedMediaType, Problems.UnsupportedMediaType(context.Request.ContentType), body);
        }
        var normalised = normaliser.Normalise(request, resolved.EventTypes);
        if (normalised.Event is not { } evt)
        {
            return Refuse("invalid", RejectionReasons.InvalidPayload, Problems.BadRequest(normalised.Error ?? "The body cannot be read."), body);
        }
        if (evt.ExternalId.Length is 0 or > 512)
        {
            return Refuse("invalid", RejectionReasons.InvalidPayload, Problems.BadRequest("The event id is missing or longer than 512 characters."), body);
        }
        if (HasNul(evt.ExternalId) || HasNul(evt.ProviderType))
        {
            // PostgreSQL text cannot hold U+0000: such an event could never be stored, and would fail the batch it joined.
            return Refuse("invalid", RejectionReasons.InvalidPayload, Problems.BadRequest("The event id or type contains a NUL character."), body);
        }

        var incoming = new IncomingEvent
        {
            Provider = resolved.Name,
            ExternalId = evt.ExternalId,
            ProviderType = evt.ProviderType,
            Type = evt.Type,
            Payload = body,
            ContentType = context.Request.ContentType,
            ReceivedAt = time.GetUtcNow(),
            Details = WithoutNul(evt.Details),
        };
        AcceptOutcome outcome;
        try
        {
            outcome = await grains.GetGrain<IEventGrain>(incoming.Key).AcceptAsync(incoming).WaitAsync(AcceptTimeout, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Nothing was committed, or the commit's answer was lost: either way the provider retries, and the unique key makes that safe.
            LogNotStored(logger, ex, resolved.Name, evt.ExternalId);
            Count("unavailable");
            return Problems.Unavailable("The event could not be stored durably; retry later.");
        }
        var status = outcome == AcceptOutcome.Accepted ? "accepted" : "duplicate";
        Count(status);
        return Results.Ok(new AcceptResponse(status, incoming.Key));
    }

    private static bool HasNul(string? text) => text?.Contains('\0') == true;

    private static string? WithoutNul(string? text) => HasNul(text) ? text!.Replace("\0", "", StringComparison.Ordinal) : text;

    /// <summary>
    /// A NUL in a detail (a name, an email) is never meant, and jsonb refuses it: it is dropped, rather than the event
    /// being refused for it (the raw payload keeps it, as bytes).
    /// </summary>
    private static EventDetails WithoutNul(EventDetails details) => details with
    {
        ObjectId = WithoutNul(details.ObjectId),
        PaymentId = WithoutNul(details.PaymentId),
        OrderId = WithoutNul(details.OrderId),
        CustomerId = WithoutNul(details.CustomerId),
        Currency = WithoutNul(details.Currency),
        Email = WithoutNul(details.Email),
        Name = WithoutNul(details.Name),
    };

    /// <summary>Reads the whole body, or returns null as soon as it is longer than the limit.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long maxBytes, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            return null;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            if (read.Buffer.Length > maxBytes)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return null;
            }
            if (read.IsCompleted)
            {
                var bytes = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return bytes;
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>Mailchimp checks a webhook URL with a GET before it saves it; other schemes only POST.</summary>
    private static IResult ValidationPingAsync(string provider, HttpContext context, ProviderRegistry providers)
    {
        if (!providers.TryGet(provider, out var resolved))
        {
            return Problems.NotFound($"No provider named '{provider}' is configured.");
        }
        if (resolved.Scheme.Name != SchemeNames.Mailchimp)
        {
            return Results.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: "Method not allowed", detail: "Deliveries are POSTed.");
        }
        var secret = context.Request.Query["secret"].ToString();
        return resolved.Options.Secrets.Any(s => SignatureCompare.TextEquals(s, secret))
            ? Results.Ok()
            : Problems.Unauthorized(SignatureResult.Mismatch);
    }

    private sealed record AcceptResponse(string Status, string Id);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Rejected a {Provider} delivery: {Result}")]
    private static partial void LogRejected(ILogger logger, string provider, SignatureResult result);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Could not obtain the key to verify a {Provider} delivery; answered 503")]
    private static partial void LogKeyUnavailable(ILogger logger, string provider);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Could not store {Provider} event {ExternalId}; answered 503")]
    private static partial void LogNotStored(ILogger logger, Exception exception, string provider, string externalId);
}
