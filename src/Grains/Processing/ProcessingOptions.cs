using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.Processing;

/// <summary>How silos process stored events: retries, recovery of events left behind, stream partitions, write batching.</summary>
public sealed class ProcessingOptions
{
    public const string SectionName = "Webhooks:Processing";

    /// <summary>False makes a silo ingest-only: it stores events but neither routes nor recovers them (for example during ERP maintenance).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Attempts of one processing run before the event ends 'failed'.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay before the second attempt; it doubles each attempt up to <see cref="MaxBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An event still 'received' this long after it was stored (or last claimed) is processed again by the recovery sweep.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RecoverAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often each silo looks for overdue events.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Stream partitions, each with its own router activation; a silo's publisher sends its batches to them in turn. One
    /// per queue of the stream (Orleans' memory streams have 8): fewer partitions carry more events per stream message
    /// (each message costs a queue call, a poll and a delivery), and the queues spread evenly over the silos
    /// (deploy/bench/README.md has the measurements).
    /// </summary>
    [Range(1, 1024)]
    public int Partitions { get; set; } = 8;

    /// <summary>
    /// How long a silo gathers stored events before putting them on the stream as one batch. Not on the way to the
    /// provider's 200 (that follows the commit); it only delays processing, and saves a stream message per event.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan PublishDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Events of one partition being processed at once; bounds the database connections processing can take.</summary>
    [Range(1, 1024)]
    public int MaxInFlightPerPartition { get; set; } = 32;

    [ValidateObjectMembers]
    public StorageOptions Storage { get; set; } = new();
}
