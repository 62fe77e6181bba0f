using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Ingestion;
using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Management;

/// <summary>
/// The management API under <c>/api</c>. Ids may contain any character, '/' included, so the id is a catch-all route
/// segment (<c>{**id}</c>) that routing binds with the rest of the path.
/// </summary>
public static class ManagementEndpoints
{
    public const int DefaultListLimit = 50;
    public const int MaxListLimit = 1000;

    private const string ReplaySuffix = "/replay";

    public static IEndpointRouteBuilder MapManagementApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<ManagementAccessFilter>().AddEndpointFilter<ManagementUnavailableFilter>();

        api.MapGet("/events", ListEventsAsync);
        api.MapPost("/events/{provider}/{**externalIdAndAction}", ReplayAsync);
        api.MapGet("/events/{provider}/{**externalId}", GetEventAsync);
        api.MapGet("/payments/{provider}/{**id}", (string provider, string? id, IGrainFactory grains) =>
            ViewAsync(grains.GetGrain<IPaymentGrain>(DomainKey(provider, id)).GetAsync()));
        api.MapGet("/orders/{provider}/{**id}", (string provider, string? id, IGrainFactory grains) =>
            ViewAsync(grains.GetGrain<IOrderGrain>(DomainKey(provider, id)).GetAsync()));
        api.MapGet("/customers/{provider}/{**id}", (string provider, string? id, IGrainFactory grains) =>
            ViewAsync(grains.GetGrain<ICustomerGrain>(DomainKey(provider, id)).GetAsync()));
        return app;
    }

    private static string DomainKey(string provider, string? id) => EventKey.Format(provider.ToLowerInvariant(), IdOf(id));

    /// <summary>
    /// The id from its catch-all route value. The server decodes the path before routing, all but an encoded '/' (%2F),
    /// which it keeps so that it does not split a segment: that is all there is left to decode. The server has also
    /// turned a "%252F" into "%2F" by then, so an id that holds the text "%2F" itself reads as '/': the one id that a
    /// decoded path cannot tell apart.
    /// </summary>
    private static string IdOf(string? routeValue) =>
        routeValue?.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) ?? "";

    private static async Task<IResult> ViewAsync<T>(Task<T?> view) where T : class =>
        await view is { } found ? Results.Ok(found) : Problems.NotFound("Not found.");

    private static async Task<IResult> GetEventAsync(string provider, string? externalId, IGrainFactory grains) =>
        await grains.GetGrain<IEventQueryGrain>(0).GetAsync(provider.ToLowerInvariant(), IdOf(externalId)) is { } found
            ? Results.Ok(found)
            : Problems.NotFound("No such event was received.");

    /// <summary>
    /// POST /api/events/{provider}/{externalId}/replay. A catch-all segment ends the route, so "/replay" is split off its
    /// value here; a '/' inside the id is still encoded there (%2F), so the suffix is always the path's own last segment.
    /// </summary>
    private static async Task<IResult> ReplayAsync(string provider, string? externalIdAndAction, IGrainFactory grains, ProviderRegistry providers)
    {
        if (externalIdAndAction is null || !externalIdAndAction.EndsWith(ReplaySuffix, StringComparison.Ordinal) || externalIdAndAction.Length == ReplaySuffix.Length)
        {
            return Problems.NotFound("Unknown route.");
        }
        var id = IdOf(externalIdAndAction[..^ReplaySuffix.Length]);
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
