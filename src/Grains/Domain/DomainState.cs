using System.Text.Json.Serialization;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.Domain;

/// <summary>What every domain grain keeps: the events it has applied, written in the same state write as their effect.</summary>
public abstract class DomainState : IViewChangeSource
{
    public HashSet<string> AppliedEvents { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The newest event time among the applied events: order-independent, unlike "when we last wrote".</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    [JsonIgnore]
    public ViewChange? PendingChange { get; set; }
}
