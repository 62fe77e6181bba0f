using Orleans.Webhooks.Grains.Interfaces.Processing;

namespace Orleans.Webhooks.Grains.Processing;

/// <summary>Holds the stream faults silos report; a fault its silo stopped reporting (the silo died) expires.</summary>
internal sealed class ProcessingHealthGrain(TimeProvider time) : Grain, IProcessingHealthGrain
{
    private readonly Dictionary<(string Silo, int Partition), StreamFault> _faults = [];

    public Task ReportAsync(StreamFault fault)
    {
        _faults[(fault.Silo, fault.Partition)] = fault;
        return Task.CompletedTask;
    }

    public Task ClearAsync(string silo, int partition)
    {
        _faults.Remove((silo, partition));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StreamFault>> GetFaultsAsync()
    {
        var oldest = time.GetUtcNow() - 2 * StreamFaults.ReportValidity;
        foreach (var key in _faults.Where(f => f.Value.LastSeen < oldest).Select(f => f.Key).ToList())
        {
            _faults.Remove(key);
        }
        return Task.FromResult<IReadOnlyList<StreamFault>>(_faults.Values.OrderBy(f => f.Silo, StringComparer.Ordinal).ThenBy(f => f.Partition).ToList());
    }
}
