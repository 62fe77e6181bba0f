namespace Orleans.Webhooks.Grains.Processing;

public enum DispatchResult
{
    /// <summary>The event reached the grains it concerns (applied now or before).</summary>
    Processed,

    /// <summary>No handler for the event's type: stored, visible, replayable once a mapping exists.</summary>
    Ignored,
}
