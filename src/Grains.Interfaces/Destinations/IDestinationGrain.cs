namespace Orleans.Webhooks.Grains.Interfaces.Destinations;

/// <summary>
/// One push destination, keyed by its name (<see cref="Configuration.DestinationsOptions.Normalise"/>). Its single activation in the
/// cluster is the destination's only sender; it owns the destination's cursor in PostgreSQL.
/// </summary>
public interface IDestinationGrain : IGrainWithStringKey
{
    /// <summary>Activates the grain, and so its sender, wherever the cluster places it; silos call it every few seconds.</summary>
    Task EnsureRunningAsync();

    Task<DestinationStatus> GetStatusAsync();

    /// <summary>The newest delivery attempts first.</summary>
    Task<IReadOnlyList<DeliveryAttempt>> GetDeliveriesAsync(int limit);

    /// <summary>Stops sending; what accumulates meanwhile is sent after <see cref="ResumeAsync"/>.</summary>
    Task PauseAsync();

    /// <summary>Continues from the cursor, clearing the last error.</summary>
    Task ResumeAsync();

    /// <summary>Sets the cursor back: every change after <paramref name="cursor"/> is sent again.</summary>
    Task RewindAsync(long cursor);

    /// <summary>Parked changes, oldest first.</summary>
    Task<IReadOnlyList<ParkedChange>> GetParkedAsync(int limit);

    /// <summary>Sends a parked change again now; false when no such change is parked. Recorded in the deliveries.</summary>
    Task<bool> RetryParkedAsync(long changeId);

    /// <summary>Drops a parked change for good; false when no such change is parked. Recorded in the deliveries.</summary>
    Task<bool> SkipParkedAsync(long changeId);
}
