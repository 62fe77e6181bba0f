using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Management;
using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Console.Pages;

/// <summary>/console/: the summary, then the events newest first with filters, a search and paging.</summary>
public sealed class IndexModel(IGrainFactory grains, IOptionsMonitor<WebhooksOptions> options) : PageModel
{
    public EventSummary Summary { get; private set; } = null!;
    public EventPage Events { get; private set; } = new() { Items = [] };
    public EventQuery Filter { get; private set; } = new();
    public string? Error { get; private set; }
    public IReadOnlyList<string> Providers { get; private set; } = [];

    /// <summary>How many a bulk replay just reopened (the confirm page redirects here with it).</summary>
    public string? Replayed => EventFilters.Value(Request.Query, "replayed");

    public async Task OnGetAsync()
    {
        var queries = grains.GetGrain<IEventQueryGrain>(0);
        Providers = [.. options.CurrentValue.Providers.Keys.Select(p => p.ToLowerInvariant()).Order(StringComparer.Ordinal)];
        if (EventFilters.TryParseList(Request.Query, out var filter, out var error))
        {
            Filter = filter;
            var events = queries.ListAsync(filter);
            Summary = await queries.SummaryAsync();
            Events = await events;
        }
        else
        {
            Error = error;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Summary = await queries.SummaryAsync();
        }
    }

    /// <summary>The filters in force, for links that keep them (the next page, the bulk replay).</summary>
    public IEnumerable<KeyValuePair<string, string?>> FilterParameters() => Links.Filters(Filter);

    public string NextPage() =>
        Links.WithQuery("/console/", FilterParameters().Append(new("after", Events.Next is { } next ? EventCursors.Encode(next) : null)));
}
