namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// One row of the change log. <see cref="View"/> is null for a change of a kind the destination does not take: it is
/// passed over, but still moves the cursor.
/// </summary>
internal sealed record Change(long Seq, string Kind, string Provider, string ObjectId, string? View, string EventKey, string? EventType, DateTimeOffset At)
{
    /// <summary>The id every POST of this change carries, first or repeat.</summary>
    public string Id => Seq.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Changes of one object go out one after the other; this names the object.</summary>
    public (string Kind, string Provider, string ObjectId) Object => (Kind, Provider, ObjectId);
}
