using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Ingestion;

/// <summary>The problem+json answers of the receiving endpoint. A 401 never says which secret or what was expected.</summary>
public static class Problems
{
    public const string RetryAfterSeconds = "5";

    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static IResult Forbidden() =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Deliveries for this provider are not accepted from this address.");

    public static IResult TooLarge(long maxBytes) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large", detail: $"The body is larger than {maxBytes} bytes.");

    public static IResult Unauthorized(SignatureResult result) => Results.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Signature verification failed",
        detail: result switch
        {
            SignatureResult.MissingSignature => "The signature is missing.",
            SignatureResult.OutsideTolerance => "The signed timestamp is outside the tolerance window.",
            SignatureResult.Malformed => "The signature header cannot be read for this provider's scheme.",
            _ => "The signature does not match.",
        });

    public static IResult UnsupportedMediaType(string? contentType) => Results.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType,
        title: "Unsupported media type",
        detail: $"This provider cannot read '{contentType}'.");

    public static IResult BadRequest(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid payload", detail: detail);

    public static IResult Unavailable(string detail) => new RetryAfterResult(
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", detail: detail));

    /// <summary>Adds Retry-After to an inner result.</summary>
    private sealed class RetryAfterResult(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
