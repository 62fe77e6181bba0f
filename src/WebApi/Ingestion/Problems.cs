using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Ingestion;

/// <summary>The problem+json answers of the API. A 401 never says which secret or what was expected.</summary>
public static class Problems
{
    /// <summary>
    /// The <c>Retry-After</c> of every 503 (deliveries, the management API, the change feed), in seconds: about the time a
    /// restarted silo needs to join or the Orleans client to reconnect, and short beside providers' own retry schedules.
    /// The 429 of the rate limits is different: it says when the limiter gives a permit again (<see cref="WebhookRateLimits"/>).
    /// </summary>
    public const int RetryAfterSeconds = 5;

    internal static readonly string RetryAfterHeader = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static ProblemHttpResult Forbidden() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Deliveries for this provider are not accepted from this address.");

    public static ProblemHttpResult TooLarge(long maxBytes) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large", detail: $"The body is larger than {maxBytes} bytes.");

    public static ProblemHttpResult Unauthorized(SignatureResult result) => TypedResults.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Signature verification failed",
        detail: result switch
        {
            SignatureResult.MissingSignature => "The signature is missing.",
            SignatureResult.OutsideTolerance => "The signed timestamp is outside the tolerance window.",
            SignatureResult.Malformed => "The signature header cannot be read for this provider's scheme.",
            _ => "The signature does not match.",
        });

    public static ProblemHttpResult UnsupportedMediaType(string? contentType) => TypedResults.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        title: "Unsupported media type",
        detail: $"This provider cannot read '{contentType}'.");

    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid payload", detail: detail);

    /// <summary>
    /// 422: signed and readable, but this delivery alone cannot be stored (the database refuses its data); sending it again
    /// cannot succeed. The detail says why.
    /// </summary>
    public static ProblemHttpResult Unstorable(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Cannot be stored", detail: detail);

    public static UnavailableProblem Unavailable(string detail) => new(
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", detail: detail));
}
