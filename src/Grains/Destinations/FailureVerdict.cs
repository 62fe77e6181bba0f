namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>What the sender does after a failed POST (<see cref="DeliveryTracker.Failed"/>).</summary>
internal enum FailureVerdict
{
    /// <summary>Send the same again after a backoff.</summary>
    Retry,

    /// <summary>The receiver is silent: send the first half of what was sent, after a backoff.</summary>
    Shrink,

    /// <summary>The receiver is up and refuses something in the batch: give it back to be sent in smaller batches.</summary>
    Split,

    /// <summary>The change, sent alone, keeps failing while others are delivered: set it aside.</summary>
    Park,

    /// <summary>Failing past the retry horizon: pause the destination.</summary>
    Pause,
}
