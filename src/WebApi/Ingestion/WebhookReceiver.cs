using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Interfaces.Telemetry;
using Orleans.Webhooks.WebApi.Normalisation;
using Orleans.Webhooks.WebApi.Providers;
using Orleans.Webhooks.WebApi.Rejections;
using Orleans.Webhooks.WebApi.Signatures;
using Answer = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<Orleans.Webhooks.WebApi.Ingestion.AcceptResponse>,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult,
    Orleans.Webhooks.WebApi.Ingestion.UnavailableProblem>;

namespace Orleans.Webhooks.WebApi.Ingestion;

/// <summary>
/// One delivery of <c>POST /webhook/{provider}</c>, in the contract's order of checks, a step each:
/// read (provider known 404, client network 403, size 413) → verify (401) → normalise (415, 400) → validate (400) →
/// accept (200 accepted or duplicate, 422, 503). A step hands the next one its value or ends the request with its answer.
/// The body is read once as raw bytes and verified before anything parses it. Every refusal is counted and goes into
/// the audit (<see cref="RejectionAudit"/>).
/// </summary>
public sealed partial class WebhookReceiver(
    ProviderRegistry providers,
    IGrainFactory grains,
    TimeProvider time,
    RejectionAudit audit,
    IMeterFactory meters,
    ILogger<WebhookReceiver> logger)
{
    private readonly Counter<long> _deliveries = meters.Create(MetricNames.Meter)
        .CreateCounter<long>(MetricNames.Deliveries, description: "Webhook deliveries by provider and outcome");

    /// <summary>
    /// Providers give up on a delivery after about 10-30 s; answer 503 before that so that they retry. The event grain's
    /// <c>AcceptAsync</c> carries it as its response timeout (no timer per request).
    /// </summary>
    public static readonly TimeSpan AcceptTimeout = TimeSpan.FromSeconds(10);

    public async Task<Answer> ReceiveAsync(string provider, HttpContext context, CancellationToken cancellationToken)
    {
        if (!providers.TryGet(provider, out var resolved))
        {
            audit.Record(context, provider, RejectionReasons.UnknownProvider, StatusCodes.Status404NotFound);
            return Problems.NotFound($"No provider named '{provider}' is configured.");
        }
        var delivery = new Delivery(context, resolved);
        if (!(await ReadAsync(delivery, cancellationToken)).Continues(out var received, out var answer)
            || !(await VerifyAsync(delivery, received, cancellationToken)).Continues(out var verified, out answer)
            || !Normalise(delivery, verified).Continues(out var normalised, out answer)
            || !Validate(delivery, verified, normalised).Continues(out var incoming, out answer))
        {
            return answer;
        }
        return await AcceptAsync(delivery, incoming, cancellationToken);
    }

    /// <summary>Read: the client may deliver for this provider (403, before the body is read) and the body is within its limit (413).</summary>
    private async Task<Step<Received>> ReadAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var (context, resolved) = delivery;
        if (!resolved.AllowsClient(context.Connection.RemoteIpAddress))
        {
            return Refuse(delivery, "forbidden", RejectionReasons.NetworkNotAllowed, Problems.Forbidden());
        }
        var body = await ReadBodyAsync(context, resolved.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Refuse(delivery, "too_large", RejectionReasons.TooLarge, Problems.TooLarge(resolved.MaxBodyBytes));
        }
        var request = new WebhookRequest(resolved.Name, resolved.Options, context.Request.Headers, context.Request.Query, context.Request.ContentType, body);
        return new Received(request, body);
    }

    /// <summary>Verify: the signature over the raw bytes (401); a key that cannot be had is no proof of forgery (503, the provider retries).</summary>
    private async Task<Step<Received>> VerifyAsync(Delivery delivery, Received received, CancellationToken cancellationToken)
    {
        var signature = await delivery.Provider.Scheme.Verifier.VerifyAsync(received.Request, cancellationToken);
        if (signature == SignatureResult.KeyUnavailable)
        {
            LogKeyUnavailable(logger, delivery.Provider.Name);
            Count(delivery, "unavailable");
            return Problems.Unavailable("The key to verify this delivery cannot be obtained right now; retry later.");
        }
        if (signature != SignatureResult.Valid)
        {
            LogRejected(logger, delivery.Provider.Name, signature);
            return Refuse(delivery, "unauthorized", RejectionReasons.Of(signature), Problems.Unauthorized(signature), received.Body);
        }
        return received;
    }

    /// <summary>Normalise: the scheme reads the content type (415) and the body into one internal event (400).</summary>
    private Step<NormalisedEvent> Normalise(Delivery delivery, Received received)
    {
        var normaliser = delivery.Provider.Scheme.Normaliser;
        var contentType = received.Request.ContentType;
        if (!normaliser.CanRead(MediaTypes.Of(contentType)))
        {
            return Refuse(delivery, "unsupported_media_type", RejectionReasons.UnsupportedMediaType, Problems.UnsupportedMediaType(contentType), received.Body);
        }
        var normalised = normaliser.Normalise(received.Request, delivery.Provider.EventTypes);
        return normalised.Event is { } evt
            ? evt
            : Refuse(delivery, "invalid", RejectionReasons.InvalidPayload, Problems.BadRequest(normalised.Error ?? "The body cannot be read."), received.Body);
    }

    /// <summary>Validate: the event can be stored as it is (400), and becomes what the event grain accepts.</summary>
    private Step<IncomingEvent> Validate(Delivery delivery, Received received, NormalisedEvent evt)
    {
        if (evt.ExternalId.Length is 0 or > 512)
        {
            return Refuse(delivery, "invalid", RejectionReasons.InvalidPayload, Problems.BadRequest("The event id is missing or longer than 512 characters."), received.Body);
        }
        if (evt.ExternalId.Contains('\0', StringComparison.Ordinal))
        {
            // The id is the event's key: PostgreSQL text cannot hold U+0000, and rewriting it could make two events one.
            return Refuse(delivery, "invalid", RejectionReasons.InvalidPayload, Problems.BadRequest("The event id contains a NUL character (U+0000), which cannot be an event's key."), received.Body);
        }
        return new IncomingEvent
        {
            Provider = delivery.Provider.Name,
            ExternalId = evt.ExternalId,
            ProviderType = evt.ProviderType,
            Type = evt.Type,
            Payload = received.Body,
            ContentType = received.Request.ContentType,
            ReceivedAt = time.GetUtcNow(),
            Details = evt.Details,
        };
    }

    /// <summary>
    /// Accept: the event grain commits the event (200 accepted) or counts a repeat (200 duplicate). An event that alone
    /// cannot be stored is refused (422, audited: its provider's retries would never succeed); anything else is 503.
    /// </summary>
    private async Task<Answer> AcceptAsync(Delivery delivery, IncomingEvent incoming, CancellationToken cancellationToken)
    {
        AcceptOutcome outcome;
        try
        {
            outcome = await grains.GetGrain<IEventGrain>(incoming.Key).AcceptAsync(incoming).WaitAsync(cancellationToken);
        }
        catch (UnstorableEventException ex)
        {
            LogUnstorable(logger, delivery.Provider.Name, incoming.ExternalId, ex.Message);
            return Refuse(delivery, "unstorable", RejectionReasons.Unstorable, Problems.Unstorable(ex.Message), incoming.Payload);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Nothing was committed, or the commit's answer was lost: either way the provider retries, and the unique key makes that safe.
            LogNotStored(logger, ex, delivery.Provider.Name, incoming.ExternalId);
            Count(delivery, "unavailable");
            return Problems.Unavailable("The event could not be stored durably; retry later.");
        }
        var status = outcome == AcceptOutcome.Accepted ? AcceptResponse.Accepted : AcceptResponse.Duplicate;
        Count(delivery, status);
        return TypedResults.Ok(new AcceptResponse(status, incoming.Key));
    }

    private ProblemHttpResult Refuse(Delivery delivery, string outcome, string reason, ProblemHttpResult problem, byte[]? body = null)
    {
        Count(delivery, outcome);
        audit.Record(delivery.Context, delivery.Provider.Name, reason, problem.StatusCode, body, RejectionAudit.SignatureHeadersOf(delivery.Provider));
        return problem;
    }

    private void Count(Delivery delivery, string outcome) =>
        _deliveries.Add(1, new("provider", delivery.Provider.Name), new("outcome", outcome));

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

    private sealed record Delivery(HttpContext Context, ResolvedProvider Provider);

    /// <summary>The body as received, and the request the verifier and the normaliser read.</summary>
    private sealed record Received(WebhookRequest Request, byte[] Body);

    /// <summary>What a step hands on: the value the next step consumes, or the answer that ends the request.</summary>
    private readonly struct Step<T> where T : class
    {
        private readonly T? _value;
        private readonly Answer? _answer;

        private Step(T? value, Answer? answer) => (_value, _answer) = (value, answer);

        public static implicit operator Step<T>(T value) => new(value, null);

        public static implicit operator Step<T>(ProblemHttpResult refusal) => new(null, refusal);

        public static implicit operator Step<T>(UnavailableProblem unavailable) => new(null, unavailable);

        public bool Continues([NotNullWhen(true)] out T? value, [NotNullWhen(false)] out Answer? answer)
        {
            (value, answer) = (_value, _answer);
            return value is not null;
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Rejected a {Provider} delivery: {Result}")]
    private static partial void LogRejected(ILogger logger, string provider, SignatureResult result);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Could not obtain the key to verify a {Provider} delivery; answered 503")]
    private static partial void LogKeyUnavailable(ILogger logger, string provider);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Could not store {Provider} event {ExternalId}; answered 503")]
    private static partial void LogNotStored(ILogger logger, Exception exception, string provider, string externalId);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "{Provider} event {ExternalId} cannot be stored; answered 422: {Reason}")]
    private static partial void LogUnstorable(ILogger logger, string provider, string externalId, string reason);
}
