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
    /// <summary>Set by the grain before a write that changes the view, read by the storage into that write's commit, cleared by the grain after it.</summary>
    ViewChange? PendingChange { get; set; }
}
