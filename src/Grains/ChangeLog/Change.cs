using System.Globalization;

namespace Orleans.Webhooks.Grains.ChangeLog;

/// <summary>
/// One row of the change log, as <see cref="ChangeLogReader"/> reads it for a destination's sender and for the web API's
/// <c>GET /api/changes</c>. <see cref="View"/> is null for a change of a kind the reader did not ask the view of (a
/// destination passes over it, but still moves its cursor).
/// </summary>
/// <remarks>Compiled into the web API as well (linked source), so internal: each assembly has its own copy.</remarks>
internal sealed record Change(long Seq, string Kind, string Provider, string ObjectId, string? View, string EventKey, string? EventType, DateTimeOffset At)
{
    /// <summary>The change's number as text: the id every POST of it carries, and the feed's cursor after it.</summary>
    public string Id => Seq.ToString(CultureInfo.InvariantCulture);

    /// <summary>Changes of one object go out one after the other; this names the object.</summary>
    public (string Kind, string Provider, string ObjectId) Object => (Kind, Provider, ObjectId);
}
