namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>What a <see cref="DestinationPump"/> needs from the grain that runs it: its row, its attempts and its pause.</summary>
internal interface IPumpHost
{
    /// <summary>Attempts not written yet, or a failing-since not saved yet.</summary>
    bool HasUnsaved();

    /// <summary>Writes the cursor, state and attempts; false when another activation wrote the row (sending stops).</summary>
    Task<bool> SaveAsync(long cursor, CancellationToken cancellationToken);

    void Record(RecordedAttempt attempt);

    /// <summary>A change kept failing past the retry horizon: the destination pauses and sending stops.</summary>
    void PauseAfterHorizon();
}
