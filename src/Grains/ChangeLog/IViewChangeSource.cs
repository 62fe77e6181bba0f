namespace Orleans.Webhooks.Grains.ChangeLog;

/// <summary>A grain state that may carry the changes its next write makes to the object's view.</summary>
public interface IViewChangeSource
{
    /// <summary>
    /// The changes of the view since the last write, in the order they were made (more than one when the object applied
    /// several events before writing): set by the grain, read by the storage into the write's commit, cleared by the
    /// grain after it. Empty when the write changes no view.
    /// </summary>
    IReadOnlyList<ViewChange> PendingChanges { get; }
}
