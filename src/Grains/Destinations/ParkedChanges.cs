using System.Globalization;
using Microsoft.Extensions.Logging;
using Orleans.Webhooks.Grains.ChangeLog;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.Interfaces.Destinations;

namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// An operator's hand on a destination's parked changes: send one again (delivered, it leaves destination_parked) or
/// skip it for good. Either is recorded in the destination's deliveries.
/// </summary>
internal sealed partial class ParkedChanges(string name, DestinationStore store, DestinationSender sender, TimeProvider time, ILogger logger)
{
    /// <summary>Sends the change alone and records the attempt; never throws (a failure to record is logged).</summary>
    public async Task RetryAsync(Change change, DestinationOptions settings)
    {
        try
        {
            var result = await sender.SendAsync([change], settings, CancellationToken.None);
            var attempt = new DeliveryAttempt { ChangeId = change.Id, Status = result.Status, DurationMs = result.DurationMs, Error = result.Error, At = time.GetUtcNow() };
            DestinationMetrics.Posted(name, 1, result.Delivered);
            await store.SettleParkedAsync(name, change.Seq,
                new RecordedAttempt(attempt, result.Delivered ? AttemptOutcome.Delivered : AttemptOutcome.Failed), unpark: result.Delivered);
            LogParkedRetried(logger, name, change.Id, result.Error ?? "delivered");
        }
        catch (Exception ex)
        {
            LogRetryFailed(logger, ex, name, change.Id);
        }
    }

    /// <summary>Drops the parked change; false when no such change is parked.</summary>
    public async Task<bool> SkipAsync(long changeId)
    {
        var attempt = new DeliveryAttempt
        {
            ChangeId = changeId.ToString(CultureInfo.InvariantCulture),
            Error = "skipped by an operator: not delivered",
            At = time.GetUtcNow(),
        };
        var skipped = await store.SettleParkedAsync(name, changeId, new RecordedAttempt(attempt, AttemptOutcome.Skipped), unpark: true);
        if (skipped)
        {
            LogParkedSkipped(logger, name, attempt.ChangeId);
        }
        return skipped;
    }

    [LoggerMessage(EventId = 6110, Level = LogLevel.Information, Message = "Destination {Destination}: parked change {ChangeId} sent again by an operator: {Result}")]
    private static partial void LogParkedRetried(ILogger logger, string destination, string changeId, string result);

    [LoggerMessage(EventId = 6111, Level = LogLevel.Information, Message = "Destination {Destination}: parked change {ChangeId} skipped by an operator")]
    private static partial void LogParkedSkipped(ILogger logger, string destination, string changeId);

    [LoggerMessage(EventId = 6112, Level = LogLevel.Error, Message = "Destination {Destination}: sending parked change {ChangeId} again failed to be recorded")]
    private static partial void LogRetryFailed(ILogger logger, Exception exception, string destination, string changeId);
}
