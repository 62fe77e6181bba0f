using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Webhooks.WebApi.Management;
using Orleans.Webhooks.WebApi.Rejections;

namespace Orleans.Webhooks.WebApi.Console.Pages;

/// <summary>/console/rejections: refused deliveries, newest first, and how many per reason in the last day.</summary>
public sealed class RejectionsModel(RejectionStore store) : PageModel
{
    public RejectionList List { get; private set; } = new([], new Dictionary<string, long>());
    public string? Provider { get; private set; }
    public string? Reason { get; private set; }

    public async Task OnGetAsync()
    {
        Provider = EventFilters.Value(Request.Query, "provider")?.ToLowerInvariant();
        Reason = EventFilters.Value(Request.Query, "reason");
        List = await store.ListAsync(Provider, Reason, DateTimeOffset.UtcNow.AddDays(-1), ManagementEndpoints.DefaultListLimit, HttpContext.RequestAborted);
    }
}
