using System.Text.Json.Serialization;
using Orleans.Webhooks.Grains.ChangeLog;

namespace Orleans.Webhooks.Grains.Domain;

/// <summary>What every domain grain keeps: the events it has applied, written in the same state write as their effect.</summary>
public abstract class DomainState : IViewChangeSource
{
    /// <summary>
    /// The events applied, by key, with when each was applied. A key is kept for the event retention after that, so as
    /// long as the event's row can be delivered or replayed again (rows go the retention after their receipt, which
    /// is never later than their application).
    /// </summary>
    public Dictionary<string, DateTimeOffset> Applied { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Keys of events applied, as states written before receipt times were kept hold them; moved into <see cref="Applied"/>
    /// on first use, and not written again.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HashSet<string>? AppliedEvents { get; set; }

    /// <summary>The newest event time among the applied events: order-independent, unlike "when we last wrote".</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// A hash of the view as this state shows it (see <see cref="ViewHashes"/>): whether an application changed the view
    /// is then known without serialising the view as it was. Null in states written before it was kept, and while
    /// the object does not exist.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ViewHash { get; set; }

    [JsonIgnore]
    public ViewChange? PendingChange { get; set; }

    [JsonIgnore]
    public bool IsEmpty => Applied.Count == 0 && AppliedEvents is not { Count: > 0 };

    public bool HasApplied(string eventKey)
    {
        AdoptLegacyKeys();
        return Applied.ContainsKey(eventKey);
    }

    public void RecordApplied(string eventKey, DateTimeOffset appliedAt) => Applied[eventKey] = appliedAt;

    /// <summary>
    /// Forgets events applied before <paramref name="horizon"/> (their rows are gone from webhook_events too), and beyond
    /// <paramref name="max"/> the oldest applied, for objects whose every effect but a count is idempotent anyway.
    /// </summary>
    public void TrimApplied(DateTimeOffset horizon, int? max = null)
    {
        foreach (var key in Applied.Where(a => a.Value < horizon).Select(a => a.Key).ToList())
        {
            Applied.Remove(key);
        }
        if (max is { } limit && Applied.Count > limit)
        {
            foreach (var key in Applied.OrderBy(a => a.Value).ThenBy(a => a.Key, StringComparer.Ordinal).Take(Applied.Count - limit).Select(a => a.Key).ToList())
            {
                Applied.Remove(key);
            }
        }
    }

    /// <summary>A legacy key counts as applied at the state's newest event time: kept for a full retention from there.</summary>
    private void AdoptLegacyKeys()
    {
        if (AppliedEvents is null)
        {
            return;
        }
        foreach (var key in AppliedEvents)
        {
            Applied.TryAdd(key, UpdatedAt);
        }
        AppliedEvents = null;
    }
}
