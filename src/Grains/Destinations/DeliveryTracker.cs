using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.ChangeLog;
using Orleans.Webhooks.Grains.Interfaces.Destinations;

namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// What a destination knows of its failing changes, and what to do after a POST fails. A failing batch is split when
/// the receiver shows it is up and refuses something in it: it answered with a refusal (a 4xx or 500, not a gateway's
/// or an overloaded server's 502, 503, 504, 408 or 429), or some POST was acknowledged since the batch began failing.
/// Then the batch's changes go back to the window and are sent again in batches half as large, down to alone, which
/// finds the change that fails in a few rounds. While the receiver is silent or unavailable the sender keeps its batch
/// and probes with smaller parts of it, with backoff. A change that failed alone <c>ParkAfter</c> attempts while others
/// were acknowledged is parked; when nothing is acknowledged, nothing is parked and, past the retry horizon, the
/// destination pauses.
/// </summary>
internal sealed class DeliveryTracker
{
    private readonly Dictionary<long, Failing> _failing = [];

    /// <summary>When a POST to this destination was last acknowledged (the sender's clock); null before the first.</summary>
    public DateTimeOffset? LastDeliveredAt { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>The failing-since saved by a previous activation; it stands until a change is delivered.</summary>
    public DateTimeOffset? InheritedFailingSince { get; private set; }

    /// <summary>Since when some change has been failing without a break; before a restart, as saved.</summary>
    public DateTimeOffset? FailingSince => _failing.Count > 0 ? _failing.Values.Min(f => f.Since) : InheritedFailingSince;

    /// <summary>Failed attempts of a change that is not delivered yet, alone and in batches.</summary>
    public int AttemptsOf(long seq) => _failing.TryGetValue(seq, out var failing) ? failing.Attempts : 0;

    /// <summary>Starts again from a saved row: nothing known to be failing but what it says.</summary>
    public void Load(string? lastError, DateTimeOffset? failingSince)
    {
        _failing.Clear();
        LastError = lastError;
        InheritedFailingSince = failingSince;
    }

    /// <summary>Forgets every failure (resume, rewind).</summary>
    public void Clear() => Load(null, null);

    /// <summary>
    /// The largest batch <paramref name="change"/> may go in: the destination's <c>Batch</c>, halved for each time a
    /// batch holding it was split; alone once one more failure would park it.
    /// </summary>
    public int CapOf(Change change, DestinationOptions settings)
    {
        if (!_failing.TryGetValue(change.Seq, out var failing))
        {
            return settings.Batch;
        }
        return failing.Attempts + 1 >= settings.ParkAfter ? 1 : Math.Max(1, settings.Batch >> Math.Min(failing.Splits, 30));
    }

    public void Delivered(IReadOnlyList<Change> sent, DateTimeOffset at)
    {
        foreach (var change in sent)
        {
            _failing.Remove(change.Seq);
        }
        LastDeliveredAt = at;
        InheritedFailingSince = null;
        if (_failing.Count == 0)
        {
            LastError = null;
        }
    }

    /// <summary>
    /// A POST of <paramref name="sent"/> (the first part of a batch of <paramref name="held"/> changes) that began at
    /// <paramref name="started"/> failed at <paramref name="now"/>, answered <paramref name="status"/> (null: no answer):
    /// what the sender does next.
    /// </summary>
    public FailureVerdict Failed(IReadOnlyList<Change> sent, int held, DateTimeOffset started, DateTimeOffset now, int? status, string error, DestinationOptions settings)
    {
        var since = now;
        foreach (var change in sent)
        {
            if (!_failing.TryGetValue(change.Seq, out var failing))
            {
                _failing[change.Seq] = failing = new Failing(InheritedFailingSince ?? started);
            }
            failing.Attempts++;
            since = failing.Since < since ? failing.Since : since;
        }
        LastError = sent.Count == 1 ? $"change {sent[0].Id}: {error}" : $"changes {sent[0].Id}-{sent[^1].Id}: {error}";
        // Acknowledged since these changes began failing: the receiver is up, and refuses something in them.
        var receiverUp = LastDeliveredAt >= since;
        if (sent.Count == 1 && receiverUp && _failing[sent[0].Seq].Attempts >= settings.ParkAfter)
        {
            return FailureVerdict.Park;
        }
        if (now - since >= settings.RetryHorizon)
        {
            return FailureVerdict.Pause;
        }
        if (sent.Count > 1 && (receiverUp || Refused(status)))
        {
            foreach (var change in sent)
            {
                _failing[change.Seq].Splits++;
            }
            return FailureVerdict.Split;
        }
        return held > 1 && sent.Count > 1 ? FailureVerdict.Shrink : FailureVerdict.Retry;
    }

    /// <summary>An answer by which a receiver refuses what it was sent, rather than being unavailable.</summary>
    private static bool Refused(int? status) => status is >= 400 and < 600 and not (408 or 429 or 502 or 503 or 504);

    /// <summary>A change parked or skipped: no longer failing here.</summary>
    public void Forget(long seq)
    {
        _failing.Remove(seq);
        if (_failing.Count == 0)
        {
            LastError = null;
        }
    }

    private sealed class Failing(DateTimeOffset since)
    {
        public DateTimeOffset Since { get; } = since;

        public int Attempts { get; set; }

        public int Splits { get; set; }
    }
}
