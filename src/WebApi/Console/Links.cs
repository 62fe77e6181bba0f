using Microsoft.AspNetCore.WebUtilities;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.WebApi.Console;

/// <summary>The console's own addresses. Ids are escaped whole ('/' too), so that any id makes one path segment.</summary>
public static class Links
{
    public static string Event(string provider, string externalId) =>
        $"{ConsoleExtensions.RoutePrefix}/events/{Uri.EscapeDataString(provider)}/{Uri.EscapeDataString(externalId)}";

    public static string Object(EventObject named) => Object(named.Kind, named.Provider, named.Id);

    /// <summary>/console/payments|orders|customers/{provider}/{id}.</summary>
    public static string Object(string kind, string provider, string id) =>
        $"{ConsoleExtensions.RoutePrefix}/{kind}s/{Uri.EscapeDataString(provider)}/{Uri.EscapeDataString(id)}";

    /// <summary>The query parameters that select what <paramref name="filter"/> selects (empty ones are left out of links).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Filters(EventQuery? filter) =>
    [
        new("provider", filter?.Provider), new("state", filter?.State), new("type", filter?.Type), new("q", filter?.Search),
        new("object", filter?.Object), new("since", filter?.Since?.ToString("O")), new("until", filter?.Until?.ToString("O")),
    ];

    /// <summary>A console address with the parameters that have a value.</summary>
    public static string WithQuery(string path, IEnumerable<KeyValuePair<string, string?>> parameters) =>
        QueryHelpers.AddQueryString(path, parameters.Where(p => !string.IsNullOrEmpty(p.Value)));
}
