using Orleans.Webhooks.WebApi.Management;

namespace Orleans.Webhooks.WebApi.Rejections;

/// <summary><c>GET /api/rejections?provider=&amp;reason=&amp;since=&amp;limit=</c>: refused deliveries, newest first, and their number per reason.</summary>
public static class RejectionEndpoints
{
    public static IEndpointRouteBuilder MapRejections(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/rejections", ListAsync)
            .AddEndpointFilter<ManagementAccessFilter>()
            .AddEndpointFilter<ManagementUnavailableFilter>();
        return app;
    }

    private static async Task<IResult> ListAsync(string? provider, string? reason, DateTimeOffset? since, int? limit, RejectionStore store, CancellationToken cancellationToken)
    {
        var rows = Math.Clamp(limit ?? ManagementEndpoints.DefaultListLimit, 1, ManagementEndpoints.MaxListLimit);
        var list = await store.ListAsync(
            string.IsNullOrEmpty(provider) ? null : provider.ToLowerInvariant(),
            string.IsNullOrEmpty(reason) ? null : reason,
            since?.ToUniversalTime(),
            rows,
            cancellationToken);
        return Results.Ok(list);
    }
}
