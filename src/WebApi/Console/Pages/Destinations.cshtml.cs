using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.Interfaces.Destinations;

namespace Orleans.Webhooks.WebApi.Console.Pages;

/// <summary>/console/destinations: each push destination's state, lag, last error and parked changes, with Pause/Resume, Retry and Skip.</summary>
public sealed class DestinationsModel(IGrainFactory grains, IOptionsMonitor<DestinationsOptions> options) : PageModel
{
    public const int ParkedLimit = 50;

    public sealed record Row(string Name, string? Url, DestinationStatus Status, IReadOnlyList<ParkedChange> Parked);

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public string? Done => Request.Query["done"].ToString() is { Length: > 0 } done ? done : null;

    public async Task OnGetAsync()
    {
        var destinations = options.CurrentValue.Destinations.OrderBy(d => d.Key, StringComparer.OrdinalIgnoreCase).ToList();
        Rows = await Task.WhenAll(destinations.Select(async d =>
        {
            var name = DestinationsOptions.Normalise(d.Key);
            var grain = grains.GetGrain<IDestinationGrain>(name);
            var parked = grain.GetParkedAsync(ParkedLimit);
            return new Row(name, d.Value.DisplayUrl, await grain.GetStatusAsync(), await parked);
        }));
    }

    public Task<IActionResult> OnPostPauseAsync(string name) => CommandAsync(name, grain => grain.PauseAsync(), "paused");

    public Task<IActionResult> OnPostResumeAsync(string name) => CommandAsync(name, grain => grain.ResumeAsync(), "resumed");

    public Task<IActionResult> OnPostRetryAsync(string name, long changeId) =>
        CommandAsync(name, async grain => await grain.RetryParkedAsync(changeId), $"change {changeId} sent again");

    public Task<IActionResult> OnPostSkipAsync(string name, long changeId) =>
        CommandAsync(name, async grain => await grain.SkipParkedAsync(changeId), $"change {changeId} skipped");

    private async Task<IActionResult> CommandAsync(string name, Func<IDestinationGrain, Task> command, string done)
    {
        if (options.CurrentValue.Find(name) is null)
        {
            return NotFound();
        }
        await command(grains.GetGrain<IDestinationGrain>(DestinationsOptions.Normalise(name)));
        return Redirect(Links.WithQuery("/console/destinations", [new("done", $"{DestinationsOptions.Normalise(name)}: {done}")]));
    }
}
