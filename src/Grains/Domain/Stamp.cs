using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Domain;

/// <summary>
/// Orders events by the provider's event time, then by event key, so that "the newest wins" picks the same event
/// whatever order the events arrived in.
/// </summary>
public readonly record struct Stamp(DateTimeOffset At, string EventKey) : IComparable<Stamp>
{
    public static Stamp Of(WebhookEvent evt) => new(evt.OccurredAt, evt.Key);

    public int CompareTo(Stamp other)
    {
        var byTime = At.CompareTo(other.At);
        return byTime != 0 ? byTime : string.CompareOrdinal(EventKey, other.EventKey);
    }

    public static bool IsNewer(Stamp candidate, Stamp? current) => current is null || candidate.CompareTo(current.Value) > 0;
}
