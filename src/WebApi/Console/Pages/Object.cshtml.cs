using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Management;

namespace Orleans.Webhooks.WebApi.Console.Pages;

/// <summary>/console/payments|orders|customers/{provider}/{id}: the current view and the events that shaped it, newest first.</summary>
public sealed class ObjectModel(IGrainFactory grains) : PageModel
{
    public const int EventLimit = 50;

    /// <summary>Segments before the id in /console/{kind}s/{provider}/{id}.</summary>
    private const int IdStart = 3;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Kind { get; private set; } = "";
    public string Provider { get; private set; } = "";
    public string Id { get; private set; } = "";
    /// <summary>The view's fields as the API shows them; null when no event has made one.</summary>
    public IReadOnlyList<(string Name, string Value)>? View { get; private set; }
    public EventPage Events { get; private set; } = new() { Items = [] };

    public async Task<IActionResult> OnGetAsync(string kind, string provider)
    {
        Kind = kind.TrimEnd('s');
        Provider = provider.ToLowerInvariant();
        Id = RawPath.Id(RawPath.Segments(HttpContext), IdStart);
        var key = EventKey.Format(Provider, Id);
        var events = grains.GetGrain<IEventQueryGrain>(0).ListAsync(new EventQuery { Provider = Provider, Object = Id, ObjectKind = Kind, Limit = EventLimit });
        object? view = Kind switch
        {
            DomainKinds.Payment => await grains.GetGrain<IPaymentGrain>(key).GetAsync(),
            DomainKinds.Order => await grains.GetGrain<IOrderGrain>(key).GetAsync(),
            _ => await grains.GetGrain<ICustomerGrain>(key).GetAsync(),
        };
        Events = await events;
        if (view is null && Events.Items.Count == 0)
        {
            return NotFound();
        }
        View = view is null ? null : Fields(JsonSerializer.SerializeToElement(view, view.GetType(), Json));
        return Page();
    }

    private static (string, string)[] Fields(JsonElement view) =>
        [.. view.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind switch
        {
            JsonValueKind.String => p.Value.GetString()!,
            JsonValueKind.Null => "–",
            JsonValueKind.Array => string.Join(", ", p.Value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())),
            _ => p.Value.GetRawText(),
        }))];

    /// <summary>Ids in a view that name another object, linked to its page.</summary>
    public string? LinkOf(string field, string value) => field switch
    {
        "customerId" when value != "–" => Links.Object(DomainKinds.Customer, Provider, value),
        "orderId" when value != "–" => Links.Object(DomainKinds.Order, Provider, value),
        _ => null,
    };
}
