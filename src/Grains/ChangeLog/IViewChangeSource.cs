namespace Orleans.Webhooks.Grains.ChangeLog;

/// <summary>A grain state that may carry the change its next write makes to the object's view.</summary>
public interface IViewChangeSource
{
    /// <summary>Set by the grain before a write that changes the view, read by the storage into that write's commit, cleared by the grain after it.</summary>
    ViewChange? PendingChange { get; set; }
}
