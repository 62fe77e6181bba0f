using Orleans.Webhooks.Grains.ChangeLog;
using Orleans.Webhooks.Grains.Destinations;
using Orleans.Webhooks.Grains.Interfaces.Configuration;

namespace Orleans.Webhooks.Grains.Tests.Destinations;

public sealed class DeliveryTrackerTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch.AddDays(20_000);

    private static readonly DestinationOptions Settings = new() { Batch = 8, ParkAfter = 5, RetryHorizon = TimeSpan.FromHours(1) };

    private static Change Of(long seq) => new(seq, "payment", "hmac", $"o{seq}", "{}", $"hmac:evt_{seq}", "payment.completed", T0);

    private static List<Change> Range(long from, int count) => Enumerable.Range(0, count).Select(i => Of(from + i)).ToList();

    [Fact]
    public void ReceiverUp_AFailingBatchIsSplitInHalvesDownToTheChangeThatFails_WhichIsParkedAfterParkAfter()
    {
        var tracker = new DeliveryTracker();
        tracker.Delivered([Of(100)], T0); // another change acknowledged: the receiver is up
        var batch = Range(1, 8);
        var bad = batch[5];

        Assert.Equal(FailureVerdict.Split, tracker.Failed(batch, 8, T0, T0.AddSeconds(1), 500, "HTTP 500", Settings));
        Assert.Equal(4, tracker.CapOf(bad, Settings));
        Assert.Equal(8, tracker.CapOf(Of(50), Settings)); // a change that never failed keeps the full size
        Assert.Equal("changes 1-8: HTTP 500", tracker.LastError);

        // The half without it is delivered; the half with it fails and is split again, and so on.
        tracker.Delivered(batch[..4], T0.AddSeconds(2));
        Assert.Equal(FailureVerdict.Split, tracker.Failed(batch[4..], 4, T0.AddSeconds(2), T0.AddSeconds(3), 500, "HTTP 500", Settings));
        Assert.Equal(2, tracker.CapOf(bad, Settings));
        tracker.Delivered([batch[6], batch[7]], T0.AddSeconds(4));
        Assert.Equal(FailureVerdict.Split, tracker.Failed(batch[4..6], 2, T0.AddSeconds(4), T0.AddSeconds(5), 500, "HTTP 500", Settings));
        Assert.Equal(1, tracker.CapOf(bad, Settings));
        tracker.Delivered([batch[4]], T0.AddSeconds(6));

        // Alone: retried until it has failed ParkAfter (5) times in all, then parked.
        Assert.Equal(FailureVerdict.Retry, tracker.Failed([bad], 1, T0.AddSeconds(6), T0.AddSeconds(7), 500, "HTTP 500", Settings));
        Assert.Equal(FailureVerdict.Park, tracker.Failed([bad], 1, T0.AddSeconds(8), T0.AddSeconds(9), 500, "HTTP 500", Settings));
        Assert.Equal(5, tracker.AttemptsOf(bad.Seq));
        Assert.Equal("change 6: HTTP 500", tracker.LastError);

        tracker.Forget(bad.Seq);
        Assert.Null(tracker.FailingSince);
        Assert.Null(tracker.LastError);
    }

    [Fact]
    public void ReceiverDown_TheBatchIsKeptAndProbedSmaller_NothingIsParked_PausedAfterTheHorizon()
    {
        var tracker = new DeliveryTracker();
        tracker.Delivered([Of(100)], T0.AddMinutes(-1)); // acknowledged before the outage only
        var batch = Range(1, 8);

        Assert.Equal(FailureVerdict.Shrink, tracker.Failed(batch, 8, T0, T0, null, "connection refused", Settings));
        Assert.Equal(FailureVerdict.Shrink, tracker.Failed(batch[..4], 8, T0.AddSeconds(1), T0.AddSeconds(1), null, "connection refused", Settings));
        Assert.Equal(FailureVerdict.Shrink, tracker.Failed(batch[..2], 8, T0.AddSeconds(2), T0.AddSeconds(2), null, "connection refused", Settings));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(FailureVerdict.Retry, tracker.Failed(batch[..1], 8, T0.AddMinutes(i), T0.AddMinutes(i), null, "connection refused", Settings));
        }
        Assert.Equal(8, tracker.CapOf(batch[7], Settings)); // never split: it goes back whole once the receiver answers
        Assert.Equal(T0, tracker.FailingSince);

        Assert.Equal(FailureVerdict.Pause, tracker.Failed(batch[..1], 8, T0.AddHours(1), T0.AddHours(1), null, "connection refused", Settings));
    }

    [Fact]
    public void RefusedWithNothingElseAcknowledged_TheBatchIsSplit_TheChangeNotParkedUntilOthersAreDelivered()
    {
        var tracker = new DeliveryTracker();
        var batch = Range(1, 8);

        Assert.Equal(FailureVerdict.Split, tracker.Failed(batch, 8, T0, T0, 500, "HTTP 500", Settings));
        Assert.Equal(FailureVerdict.Split, tracker.Failed(batch[..4], 4, T0, T0, 422, "HTTP 422", Settings));
        Assert.Equal(FailureVerdict.Shrink, tracker.Failed(batch[..2], 4, T0, T0, 503, "HTTP 503", Settings)); // unavailable: kept
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(FailureVerdict.Retry, tracker.Failed(batch[..1], 1, T0.AddSeconds(i), T0.AddSeconds(i), 500, "HTTP 500", Settings));
        }
        tracker.Delivered(batch[1..], T0.AddSeconds(6));
        Assert.Equal(FailureVerdict.Park, tracker.Failed(batch[..1], 1, T0.AddSeconds(7), T0.AddSeconds(7), 500, "HTTP 500", Settings));
    }

    [Fact]
    public void Restarted_TheSavedFailingSinceStandsUntilADelivery()
    {
        var tracker = new DeliveryTracker();
        tracker.Load("change 3: HTTP 500", T0);

        Assert.Equal(FailureVerdict.Pause, tracker.Failed([Of(3)], 1, T0.AddHours(1), T0.AddHours(1), 500, "HTTP 500", Settings));
        tracker.Delivered([Of(3)], T0.AddHours(1));
        Assert.Null(tracker.FailingSince);
        Assert.Null(tracker.LastError);
    }
}
