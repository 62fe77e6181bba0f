using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Ingestion;

namespace Orleans.Webhooks.WebApi.Management;

/// <summary>
/// The management API under <c>/api</c>. Ids may contain any character, '/' included, so the id is a catch-all route
/// segment (<c>{**id}</c>) that routing binds with the rest of the path, and its value is read from the path as it was
/// sent, decoded once (<see cref="RawPath"/>).
/// </summary>
public static class ManagementEndpoints
{
    public const int DefaultListLimit = 50;
    public const int MaxListLimit = 1000;

    private const string ReplaySegment = "replay";
    private const string PayloadSegment = "payload";

    /// <summary>Segments before the id in /api/{events|payments|orders|customers}/{provider}/{id}.</summary>
    private const int IdStart = 3;

    public static IHostApplicationBuilder AddManagementApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EventReplays>();
        return builder;
    }

    public static IEndpointRouteBuilder MapManagementApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<ManagementAccessFilter>().AddEndpointFilter<ManagementUnavailableFilter>();

        api.MapGet("/events", ListEventsAsync);
        api.MapPost("/events/replay", ReplayAllAsync);
        api.MapPost("/events/{provider}/{**externalIdAndAction}", ReplayAsync);
        api.MapGet("/events/{provider}/{**externalId}", GetEventAsync);
        api.MapGet("/payments/{provider}/{**id}", (string provider, HttpContext http, IGrainFactory grains) =>
            ViewAsync(grains.GetGrain<IPaymentGrain>(DomainKey(provider, http)).GetAsync()));
        api.MapGet("/orders/{provider}/{**id}", (string provider, HttpContext http, IGrainFactory grains) =>
            ViewAsync(grains.GetGrain<IOrderGrain>(DomainKey(provider, http)).GetAsync()));
        api.MapGet("/customers/{provider}/{**id}", (string provider, HttpContext http, IGrainFactory grains) =>
            ViewAsync(grains.GetGrain<ICustomerGrain>(DomainKey(provider, http)).GetAsync()));
        return app;
    }

    private static string DomainKey(string provider, HttpContext http) =>
        EventKey.Format(provider.ToLowerInvariant(), RawPath.Id(RawPath.Segments(http), IdStart));

    private static async Task<IResult> ViewAsync<T>(Task<T?> view) where T : class =>
        await view is { } found ? Results.Ok(found) : Problems.NotFound("Not found.");

    /// <summary>
    /// GET /api/events/{provider}/{externalId}, and .../payload. A catch-all segment ends the route, so "/payload" is
    /// told apart here: a '/' inside the id is still encoded in the path as sent (%2F), so the suffix is always the
    /// path's own last segment, and an id that ends in "/payload" is found when its '/' is encoded.
    /// </summary>
    private static async Task<IResult> GetEventAsync(string provider, HttpContext http, IGrainFactory grains)
    {
        provider = provider.ToLowerInvariant();
        var segments = RawPath.Segments(http);
        var queries = grains.GetGrain<IEventQueryGrain>(0);
        if (segments.Length > IdStart + 1 && segments[^1] == PayloadSegment)
        {
            return await queries.GetPayloadAsync(provider, RawPath.Id(segments, IdStart, trailing: 1)) is { } payload
                ? Results.Bytes(payload.Body, payload.ContentType ?? "application/octet-stream")
                : Problems.NotFound("No such event was received.");
        }
        return await queries.GetAsync(provider, RawPath.Id(segments, IdStart)) is { } found
            ? Results.Ok(found)
            : Problems.NotFound("No such event was received.");
    }

    /// <summary>POST /api/events/{provider}/{externalId}/replay: "/replay" is split off as "/payload" is in <see cref="GetEventAsync"/>.</summary>
    private static async Task<IResult> ReplayAsync(string provider, HttpContext http, EventReplays replays)
    {
        var segments = RawPath.Segments(http);
        if (segments.Length <= IdStart + 1 || segments[^1] != ReplaySegment)
        {
            return Problems.NotFound("Unknown route.");
        }
        provider = provider.ToLowerInvariant();
        var id = RawPath.Id(segments, IdStart, trailing: 1);
        return await replays.ReplayAsync(provider, id)
            ? Results.Accepted(value: new { status = "replaying", id = EventKey.Format(provider, id) })
            : Problems.NotFound("No such event was received.");
    }

    private static async Task<IResult> ListEventsAsync(HttpContext http, IGrainFactory grains)
    {
        if (!EventFilters.TryParseList(http.Request.Query, out var query, out var error))
        {
            return Problems.BadRequest(error!);
        }
        var page = await grains.GetGrain<IEventQueryGrain>(0).ListAsync(query);
        return Results.Ok(new { items = page.Items, next = page.Next is { } next ? EventCursors.Encode(next) : null });
    }

    /// <summary>POST /api/events/replay?state=failed&amp;...: every event the filters select, up to limit.</summary>
    private static async Task<IResult> ReplayAllAsync(HttpContext http, EventReplays replays)
    {
        if (!EventFilters.TryParseReplay(http.Request.Query, out var query, out var error))
        {
            return Problems.BadRequest(error!);
        }
        return Results.Accepted(value: new { replayed = await replays.ReplayAllAsync(query, http.RequestAborted) });
    }
}
