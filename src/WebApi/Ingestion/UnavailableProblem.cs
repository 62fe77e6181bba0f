using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Orleans.Webhooks.WebApi.Ingestion;

/// <summary>A 503 problem+json with <c>Retry-After: </c><see cref="Problems.RetryAfterSeconds"/>: the one shape of every 503 the API answers.</summary>
public sealed class UnavailableProblem(ProblemHttpResult problem) : IResult, IStatusCodeHttpResult, IValueHttpResult<ProblemDetails>, IValueHttpResult
{
    public ProblemDetails Value => problem.ProblemDetails;

    object? IValueHttpResult.Value => Value;

    public int? StatusCode => problem.StatusCode;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = Problems.RetryAfterHeader;
        return problem.ExecuteAsync(httpContext);
    }
}
