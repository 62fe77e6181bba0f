namespace Orleans.Webhooks.Grains.Storage;

/// <summary>
/// A change of a payment's, order's or customer's view, written by <see cref="GroupCommitGrainStorage"/> in the same
/// statement as the grain state that caused it: to the change log (numbered in commit order) and to the current views.
/// </summary>
public sealed record ViewChange(
    string Kind,
    string Provider,
    string ObjectId,
    string? Status,
    string ViewJson,
    DateTimeOffset UpdatedAt,
    string EventKey,
    string? EventType);

/// <summary>A grain state that may carry the change its next write makes to the object's view.</summary>
public interface IViewChangeSource
{
    /// <summary>Set before a write that changes the view; taken (and cleared) by the storage with that write.</summary>
    ViewChange? PendingChange { get; set; }
}
