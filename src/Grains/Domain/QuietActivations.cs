using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;

namespace Orleans.Webhooks.Grains.Domain;

/// <summary>
/// Lets payment, order and customer activations go once no event has reached them for a <see cref="QuietPeriod"/> or
/// two, rather than after the 30 s idle limit. Most objects get a few events within seconds and then none for days;
/// under a burst of new objects this keeps the number of activations (memory, and the runtime's per-activation
/// bookkeeping) near the event rate times a fraction of a second. Not at once after each event: events queued behind
/// it (fifty refunds of one payment) would each be bounced to a fresh activation.
/// One sweep per silo looks at every recently active object, where a timer per activation would cost a timer and its
/// ticks for each of them.
/// </summary>
public sealed class QuietActivations(TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(200);

    private static readonly DeactivationReason Quiet = new(DeactivationReasonCode.ApplicationRequested, "no event for a quiet period");

    /// <summary>Each object active lately, with whether an event has reached it since the last sweep.</summary>
    private readonly ConcurrentDictionary<IGrainContext, bool> _active = new(ReferenceEqualityComparer.Instance);

    public int Count => _active.Count;

    /// <summary>An event has reached the object: it stays at least until the sweep after next.</summary>
    public void Applied(IGrainContext activation) => _active[activation] = true;

    /// <summary>One sweep: objects reached since the previous one are kept for another period, the rest let go.</summary>
    public void Sweep()
    {
        foreach (var (activation, reached) in _active)
        {
            if (reached)
            {
                _active.TryUpdate(activation, false, true);
            }
            else if (_active.TryRemove(new KeyValuePair<IGrainContext, bool>(activation, false)))
            {
                activation.Deactivate(Quiet);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(QuietPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Sweep();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
