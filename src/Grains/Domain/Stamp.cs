using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Domain;

/// <summary>
/// Orders events by the provider's event time, then by when we received them, then by event key, so that "the newest
/// wins" picks the same event whatever order the events were processed in. Stripe's and Mailchimp's event times have
/// whole seconds only: two events of one second (a customer created and at once updated) are told apart by their
/// receipt, which follows the order the provider sent them in far more often than their random ids do.
/// </summary>
public readonly record struct Stamp(DateTimeOffset At, DateTimeOffset ReceivedAt, string EventKey) : IComparable<Stamp>
{
    public static Stamp Of(WebhookEvent evt) => new(evt.OccurredAt, evt.ReceivedAt, evt.Key);

    public int CompareTo(Stamp other)
    {
        var byTime = At.CompareTo(other.At);
        if (byTime != 0)
        {
            return byTime;
        }
        var byReceipt = ReceivedAt.CompareTo(other.ReceivedAt);
        return byReceipt != 0 ? byReceipt : string.CompareOrdinal(EventKey, other.EventKey);
    }

    public static bool IsNewer(Stamp candidate, Stamp? current) => current is null || candidate.CompareTo(current.Value) > 0;
}

/// <summary>
/// A fact some event told, with what orders it against the facts of other events. A stored fact without
/// <see cref="ReceivedAt"/> reads it as the minimum: between two such facts of the same time the event key decides.
/// </summary>
public abstract class Stamped
{
    public DateTimeOffset At { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public string EventKey { get; set; } = "";

    [System.Text.Json.Serialization.JsonIgnore]
    public Stamp Stamp => new(At, ReceivedAt, EventKey);
}

/// <summary>One value some event told, stamped with that event.</summary>
public sealed class StampedValue : Stamped
{
    public string Value { get; set; } = "";
}

public static class StampedExtensions
{
    /// <summary>The fact, stamped with the event that told it.</summary>
    public static T StampedWith<T>(this T fact, WebhookEvent evt) where T : Stamped
    {
        (fact.At, fact.ReceivedAt, fact.EventKey) = Stamp.Of(evt);
        return fact;
    }
}
