using System.Text.Json.Serialization;
using Orleans.Webhooks.Grains.ChangeLog;

namespace Orleans.Webhooks.Grains.Domain;

/// <summary>
/// What every domain grain keeps: the events it has applied, written in the same state write as their effect. Stored
/// states come in two formats (<see cref="Format"/>): <see cref="Format1"/> keeps the applied events' keys without
/// times (<see cref="Format1AppliedKeys"/>) and no <see cref="ViewHash"/>; <see cref="Format2"/>, the one written, keeps
/// each key with when it was applied (<see cref="Applied"/>) and the hash of the view. A format 1 state is read as it
/// is and becomes format 2 on its first use.
/// </summary>
public abstract class DomainState : IViewChangeSource
{
    /// <summary>Applied keys without times, no view hash.</summary>
    public const int Format1 = 1;

    /// <summary>Applied keys with their application times, and the view's hash.</summary>
    public const int Format2 = 2;

    /// <summary>
    /// The format the state is in. A stored state without the field is <see cref="Format1"/> (the initial value stays
    /// when the JSON does not set it); one that is used is <see cref="Format2"/>, and is written so.
    /// </summary>
    public int Format { get; set; } = Format1;

    /// <summary>
    /// The events applied, by key, with when each was applied. A key is kept for the event retention after that, so as
    /// long as the event's row can be delivered or replayed again (rows go the retention after their receipt, which
    /// is never later than their application).
    /// </summary>
    public Dictionary<string, DateTimeOffset> Applied { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Keys of events applied, in a <see cref="Format1"/> state; moved into <see cref="Applied"/> on first use, and not
    /// written again.
    /// </summary>
    [JsonPropertyName("appliedEvents")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HashSet<string>? Format1AppliedKeys { get; set; }

    /// <summary>The newest event time among the applied events: order-independent, unlike "when we last wrote".</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// A hash of the view as this state shows it (see <see cref="ViewHashes"/>): whether an application changed the view
    /// is then known without serialising the view as it was. Null in a <see cref="Format1"/> state, and while the
    /// object does not exist.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ViewHash { get; set; }

    private readonly List<ViewChange> _pendingChanges = [];

    [JsonIgnore]
    public IReadOnlyList<ViewChange> PendingChanges => _pendingChanges;

    public void AddPendingChange(ViewChange change) => _pendingChanges.Add(change);

    public void ClearPendingChanges() => _pendingChanges.Clear();

    [JsonIgnore]
    public bool IsEmpty => Applied.Count == 0 && Format1AppliedKeys is not { Count: > 0 };

    public bool HasApplied(string eventKey)
    {
        ToFormat2();
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

    /// <summary>
    /// Makes the state <see cref="Format2"/>: a format 1 key counts as applied at the state's newest event time, so it
    /// is kept for a full retention from there. The view hash is left null: the grain computes it from the view.
    /// </summary>
    public void ToFormat2()
    {
        if (Format1AppliedKeys is { } keys)
        {
            foreach (var key in keys)
            {
                Applied.TryAdd(key, UpdatedAt);
            }
            Format1AppliedKeys = null;
        }
        Format = Format2;
    }
}
