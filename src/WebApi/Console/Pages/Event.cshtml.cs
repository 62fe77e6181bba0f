using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Management;

namespace Orleans.Webhooks.WebApi.Console.Pages;

/// <summary>/console/events/{provider}/{externalId}: every field, the payload, the objects it names, and Replay.</summary>
public sealed class EventModel(IGrainFactory grains, EventReplays replays) : PageModel
{
    /// <summary>Segments before the id in /console/events/{provider}/{id}.</summary>
    private const int IdStart = 3;

    public EventView? Event { get; private set; }
    public PayloadFormat? Payload { get; private set; }
    public string? PayloadContentType { get; private set; }
    public bool Replayed => Request.Query.ContainsKey("replayed");

    public async Task<IActionResult> OnGetAsync(string provider)
    {
        var (key, id) = (provider.ToLowerInvariant(), Id());
        var queries = grains.GetGrain<IEventQueryGrain>(0);
        var payload = queries.GetPayloadAsync(key, id);
        Event = await queries.GetAsync(key, id);
        if (Event is null || await payload is not { } body)
        {
            return NotFound();
        }
        Payload = PayloadFormat.Of(body.Body, body.ContentType);
        PayloadContentType = body.ContentType;
        return Page();
    }

    public async Task<IActionResult> OnPostReplayAsync(string provider)
    {
        var (key, id) = (provider.ToLowerInvariant(), Id());
        return await replays.ReplayAsync(key, id) ? Redirect(Links.Event(key, id) + "?replayed=1") : NotFound();
    }

    private string Id() => RawPath.Id(RawPath.Segments(HttpContext), IdStart);
}
