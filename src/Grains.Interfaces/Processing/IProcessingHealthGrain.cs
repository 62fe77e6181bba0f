namespace Orleans.Webhooks.Grains.Interfaces.Processing;

/// <summary>
/// The cluster's view of its stream partitions (key 0): silos report a partition they cannot publish to and clear it
/// once it takes events again; /health/ready reads it. Kept in memory: silos report again while a fault lasts.
/// </summary>
public interface IProcessingHealthGrain : IGrainWithIntegerKey
{
    Task ReportAsync(StreamFault fault);

    Task ClearAsync(string silo, int partition);

    /// <summary>Faults reported within the last <see cref="StreamFaults.ReportValidity"/>.</summary>
    Task<IReadOnlyList<StreamFault>> GetFaultsAsync();
}

public static class StreamFaults
{
    /// <summary>A silo reports a lasting fault again after this; a fault not reported again for twice this is forgotten.</summary>
    public static readonly TimeSpan ReportValidity = TimeSpan.FromSeconds(60);
}
