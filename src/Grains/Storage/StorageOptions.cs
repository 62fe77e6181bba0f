using System.ComponentModel.DataAnnotations;

namespace Orleans.Webhooks.Grains.Storage;

/// <summary>Group commit of the event table and the domain grains' state (<c>Webhooks:Processing:Storage</c>).</summary>
public sealed class StorageOptions
{
    [Range(1, 64)]
    public int InsertWorkers { get; set; } = 4;

    [Range(1, 64)]
    public int OutcomeWorkers { get; set; } = 2;

    [Range(1, 10_000)]
    public int MaxBatch { get; set; } = 256;
}
