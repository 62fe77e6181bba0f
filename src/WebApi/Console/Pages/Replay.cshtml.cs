using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Management;

namespace Orleans.Webhooks.WebApi.Console.Pages;

/// <summary>/console/replay?state=failed&amp;...: asks before a bulk replay, then replays what the filters select.</summary>
public sealed class ReplayModel(EventReplays replays) : PageModel
{
    public EventQuery? Filter { get; private set; }
    public string? Error { get; private set; }

    public void OnGet() => Parse();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!Parse())
        {
            return Page();
        }
        var replayed = await replays.ReplayAllAsync(Filter!, HttpContext.RequestAborted);
        return Redirect(Links.WithQuery("/console/", Parameters().Append(new("replayed", replayed.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
    }

    private bool Parse()
    {
        if (EventFilters.TryParseReplay(Request.Query, out var filter, out var error))
        {
            Filter = filter;
            return true;
        }
        Error = error;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return false;
    }

    public IEnumerable<KeyValuePair<string, string?>> Parameters() => Links.Filters(Filter);
}
