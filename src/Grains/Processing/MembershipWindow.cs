namespace Orleans.Webhooks.Grains.Processing;

/// <summary>
/// Whether the cluster's active silos changed a short while ago. When a silo joins or leaves, the event stream's
/// queues move between silos, and what a queue held in memory on the way (events pulled but not yet delivered, events
/// sent to a queue on a silo that died) is gone. Only the recovery sweep finds those, and at its usual threshold
/// (<see cref="ProcessingOptions.RecoverAfter"/>) every join and every death would stall some events for half a minute.
/// While the window is open the sweep also takes events <see cref="InFlightGrace"/> old; a second run of an event
/// that the stream did deliver is harmless (domain grains apply each event once), and only happens in the window.
/// </summary>
internal sealed class MembershipWindow(TimeProvider time)
{
    /// <summary>How long after a change the sweep looks for recent events: long enough for the queues to settle.</summary>
    internal static readonly TimeSpan Length = TimeSpan.FromSeconds(60);

    /// <summary>How old an event must be before the sweep takes it in the window: far longer than the stream needs to deliver.</summary>
    internal static readonly TimeSpan InFlightGrace = TimeSpan.FromSeconds(5);

    /// <summary>How often the sweep looks while the window is open, so that a dropped event waits little past the grace.</summary>
    internal static readonly TimeSpan SweepIntervalWhileOpen = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private HashSet<string>? _active;
    private DateTimeOffset _openUntil = DateTimeOffset.MinValue;

    /// <summary>
    /// Takes the silos active now; opens the window when they differ from the last ones seen. The first call (this silo
    /// starting) counts as a change: the queues move when a silo arrives.
    /// </summary>
    /// <returns>Whether the active silos changed.</returns>
    public bool Observe(IEnumerable<string> activeSilos)
    {
        var active = activeSilos.ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            if (_active is not null && _active.SetEquals(active))
            {
                return false;
            }
            _active = active;
            _openUntil = time.GetUtcNow() + Length;
            return true;
        }
    }

    public bool IsOpen
    {
        get
        {
            lock (_lock)
            {
                return time.GetUtcNow() < _openUntil;
            }
        }
    }

    /// <summary>
    /// How much earlier than its recovery time the sweep may take an event now: nothing outside the window, and inside it
    /// enough that an event <see cref="InFlightGrace"/> old is taken.
    /// </summary>
    public TimeSpan Early(TimeSpan recoverAfter) =>
        IsOpen && recoverAfter > InFlightGrace ? recoverAfter - InFlightGrace : TimeSpan.Zero;

    /// <summary>The sweep's interval now: <paramref name="configured"/>, or at most <see cref="SweepIntervalWhileOpen"/> in the window.</summary>
    public TimeSpan SweepInterval(TimeSpan configured) =>
        IsOpen && configured > SweepIntervalWhileOpen ? SweepIntervalWhileOpen : configured;
}
