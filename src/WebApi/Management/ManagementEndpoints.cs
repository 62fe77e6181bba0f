using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Ingestion;
using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Management;

/// <summary>
/// The management API under <c>/api</c>. Ids may contain any character, '/' included, so the id segment is a catch-all
/// (<c>{**id}</c>) that receives the decoded rest of the path.
/// </summary>
public static class ManagementEndpoints
{
    public const int DefaultListLimit = 50;
    public const int MaxListLimit = 1000;

    public static IEndpointRouteBuilder MapManagementApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<ManagementAccessFilter>().AddEndpointFilter<ManagementUnavailableFilter>();

        api.MapGet("/events", ListEventsAsync);
        api.MapPost("/events/{provider}/{**externalId}", ReplayAsync);
        api.MapGet("/events/{provider}/{**externalId}", GetEventAsync);
        api.MapGet("/payments/{provider}/{**id}", (string provider, HttpContext http, IGrainFactory grains) =>
            ViewAsync(grains.GetGrain<IPaymentGrain>(DomainKey(provider, http)).GetAsync()));
        api.MapGet("/orders/{provider}/{**id}", (string provider, HttpContext http, IGrainFactory grains) =>
            ViewAsync(grains.GetGrain<IOrderGrain>(DomainKey(provider, http)).GetAsync()));
        api.MapGet("/customers/{provider}/{**id}", (string provider, HttpContext http, IGrainFactory grains) =>
            ViewAsync(grains.GetGrain<ICustomerGrain>(DomainKey(provider, http)).GetAsync()));
        return app;
    }

    private static string DomainKey(string provider, HttpContext http) => EventKey.Format(provider.ToLowerInvariant(), IdFromRawPath(http));

    private static string IdFromRawPath(HttpContext http) => Uri.UnescapeDataString(RawIdSegment(http));

    /// <summary>
    /// The id as the caller encoded it: routing leaves %2F encoded but decodes everything else, so an id is only
    /// recovered exactly from the raw request target ("/api/{kind}/{provider}/{id...}").
    /// </summary>
    private static string RawIdSegment(HttpContext http)
    {
        var raw = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || !raw.StartsWith('/'))
        {
            raw = http.Request.PathBase + http.Request.Path;
        }
        var query = raw.IndexOf('?');
        if (query >= 0)
        {
            raw = raw[..query];
        }
        var parts = raw.Split('/', 5);
        return parts.Length == 5 ? parts[4] : "";
    }

    private static async Task<IResult> ViewAsync<T>(Task<T?> view) where T : class =>
        await view is { } found ? Results.Ok(found) : Problems.NotFound("Not found.");

    private static async Task<IResult> GetEventAsync(string provider, HttpContext http, IGrainFactory grains) =>
        await grains.GetGrain<IEventQueryGrain>(0).GetAsync(provider.ToLowerInvariant(), IdFromRawPath(http)) is { } found
            ? Results.Ok(found)
            : Problems.NotFound("No such event was received.");

    /// <summary>POST /api/events/{provider}/{externalId}/replay; the id itself may contain '/', so the suffix is split off here.</summary>
    private static async Task<IResult> ReplayAsync(string provider, HttpContext http, IGrainFactory grains, ProviderRegistry providers)
    {
        const string suffix = "/replay";
        var raw = RawIdSegment(http);
        if (!raw.EndsWith(suffix, StringComparison.Ordinal) || raw.Length == suffix.Length)
        {
            return Problems.NotFound("Unknown route.");
        }
        var id = Uri.UnescapeDataString(raw[..^suffix.Length]);
        provider = provider.ToLowerInvariant();
        var stored = await grains.GetGrain<IEventQueryGrain>(0).GetAsync(provider, id);
        if (stored is null)
        {
            return Problems.NotFound("No such event was received.");
        }
        // Map the provider type again: a mapping added since the event arrived applies to the replay.
        var type = providers.TryGet(provider, out var resolved) ? resolved.EventTypes.Map(stored.ProviderType) : stored.Type;
        await grains.GetGrain<IEventGrain>(EventKey.Format(provider, id)).ReplayAsync(type);
        return Results.Accepted(value: new { status = "replaying", id = EventKey.Format(provider, id) });
    }

    private static async Task<IResult> ListEventsAsync(string? state, string? provider, int? limit, IGrainFactory grains)
    {
        if (state is not null && !EventStates.All.Contains(state))
        {
            return Problems.BadRequest($"state must be one of {string.Join(", ", EventStates.All)}.");
        }
        if (limit is < 1 or > MaxListLimit)
        {
            return Problems.BadRequest($"limit must be between 1 and {MaxListLimit}.");
        }
        var events = await grains.GetGrain<IEventQueryGrain>(0).ListAsync(state, provider?.ToLowerInvariant(), limit ?? DefaultListLimit);
        return Results.Ok(events);
    }
}
