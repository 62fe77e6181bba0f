namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>A payment, order or customer that an event names, as the management API lists it in <c>objects</c>.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.EventObject")]
public sealed record EventObject
{
    /// <summary>One of <see cref="Domain.DomainKinds.All"/>.</summary>
    [Id(0)] public required string Kind { get; init; }
    [Id(1)] public required string Provider { get; init; }
    [Id(2)] public required string Id { get; init; }

    /// <summary>How the event table keeps it (its <c>objects</c> column): the kind, a colon, the id (kinds hold no colon).</summary>
    public string ToStored() => $"{Kind}:{Id}";

    public static EventObject FromStored(string provider, string stored)
    {
        var colon = stored.IndexOf(':');
        return new EventObject { Kind = stored[..Math.Max(colon, 0)], Provider = provider, Id = stored[(colon + 1)..] };
    }
}
