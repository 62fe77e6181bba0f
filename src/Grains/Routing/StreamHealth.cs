using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Webhooks.Grains.Interfaces.Processing;
using Orleans.Webhooks.Grains.Telemetry;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>
/// This silo's record of stream partitions that refuse events. A failing partition is logged once per cause (not once
/// per event), counted, reported to <see cref="IProcessingHealthGrain"/> for /health/ready, and skipped by the publisher
/// until <see cref="ProbeAfter"/> has passed, when one batch tries it again.
/// </summary>
public sealed partial class StreamHealth(IGrainFactory grains, ILocalSiloDetails silo, TimeProvider time, ILogger<StreamHealth> logger)
{
    public static readonly TimeSpan ProbeAfter = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<int, Fault> _faults = new();

    /// <summary>False while the partition failed less than <see cref="ProbeAfter"/> ago.</summary>
    public bool ShouldTry(int partition) => !_faults.TryGetValue(partition, out var fault) || time.GetUtcNow() - fault.LastSeen >= ProbeAfter;

    public bool AnyFault => !_faults.IsEmpty;

    public void Failed(int partition, Exception exception)
    {
        var now = time.GetUtcNow();
        var cause = $"{exception.GetType().Name}: {exception.Message}";
        WebhookMetrics.StreamPublishFailures.Add(1, new KeyValuePair<string, object?>("partition", partition));
        var previous = _faults.TryGetValue(partition, out var known) ? known : null;
        var fault = new Fault(previous?.Since ?? now, now, cause, exception.GetType(), (previous?.Failures ?? 0) + 1, previous?.ReportedAt);
        if (previous is null || previous.CauseType != fault.CauseType)
        {
            LogPartitionFailing(logger, exception, partition);
        }
        if (fault.ReportedAt is not { } reported || now - reported >= StreamFaults.ReportValidity || previous?.CauseType != fault.CauseType)
        {
            fault = fault with { ReportedAt = now };
            Report(grains.GetGrain<IProcessingHealthGrain>(0).ReportAsync(new StreamFault
            {
                Silo = silo.SiloAddress.ToString(),
                Partition = partition,
                Cause = cause,
                Since = fault.Since,
                LastSeen = now,
                Failures = fault.Failures,
            }));
        }
        _faults[partition] = fault;
    }

    public void Succeeded(int partition)
    {
        if (_faults.TryRemove(partition, out var fault))
        {
            LogPartitionRecovered(logger, partition, fault.Failures, time.GetUtcNow() - fault.Since);
            Report(grains.GetGrain<IProcessingHealthGrain>(0).ClearAsync(silo.SiloAddress.ToString(), partition));
        }
    }

    private void Report(Task call) => call.ContinueWith(
        static (failed, state) => LogReportFailed((ILogger)state!, failed.Exception!.GetBaseException().Message),
        logger, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private sealed record Fault(DateTimeOffset Since, DateTimeOffset LastSeen, string Cause, Type CauseType, long Failures, DateTimeOffset? ReportedAt);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Stream partition {Partition} refuses events; its events are published to other partitions or processed on this silo directly until it recovers")]
    private static partial void LogPartitionFailing(ILogger logger, Exception exception, int partition);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Stream partition {Partition} takes events again after {Failures} failures over {Duration}")]
    private static partial void LogPartitionRecovered(ILogger logger, int partition, long failures, TimeSpan duration);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Could not report a stream fault to the cluster's health view: {Error}")]
    private static partial void LogReportFailed(ILogger logger, string error);
}
