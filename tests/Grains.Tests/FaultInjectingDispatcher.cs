using System.Collections.Concurrent;
using Orleans.Runtime;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Processing;

namespace Orleans.Webhooks.Grains.Tests;

/// <summary>
/// Wraps the real dispatcher and makes chosen events fail, to exercise retries, failure and replay. It also notes which
/// router (stream partition) and silo dispatched each event, so that routing tests see where their own events went.
/// </summary>
public sealed class FaultInjectingDispatcher(IEventDispatcher inner, IGrainContextAccessor context, ILocalSiloDetails silo) : IEventDispatcher
{
    private static readonly ConcurrentDictionary<string, int> RemainingFailures = new();
    private static readonly ConcurrentDictionary<string, bool> Outages = new();
    private static readonly ConcurrentDictionary<string, ConcurrentDictionary<Route, bool>> Routes = new();

    /// <summary>The routers that dispatched the event so far (none when only the sweep or the publisher itself ran it).</summary>
    public static IReadOnlyCollection<Route> RoutesOf(string eventKey) =>
        Routes.TryGetValue(eventKey, out var routes) ? routes.Keys.ToArray() : [];

    public static void FailTimes(string eventKey, int times) => RemainingFailures[eventKey] = times;

    public static void FailAlways(string eventKey) => RemainingFailures[eventKey] = int.MaxValue;

    /// <summary>Fails the event as an outage would (a timeout), not as a bad event would.</summary>
    public static void FailLikeAnOutage(string eventKey) => Outages[eventKey] = true;

    public static void Fix(string eventKey)
    {
        RemainingFailures.TryRemove(eventKey, out _);
        Outages.TryRemove(eventKey, out _);
    }

    public Task<DispatchResult> DispatchAsync(WebhookEvent evt)
    {
        if (context.GrainContext?.GrainId is { } grain && grain.Type.ToString() == "router")
        {
            Routes.GetOrAdd(evt.Key, _ => new())[new Route(grain.Key.ToString()!, silo.SiloAddress)] = true;
        }
        if (Outages.ContainsKey(evt.Key))
        {
            throw new TimeoutException("the payment grain did not answer (injected)");
        }
        while (RemainingFailures.TryGetValue(evt.Key, out var remaining) && remaining > 0)
        {
            if (RemainingFailures.TryUpdate(evt.Key, remaining == int.MaxValue ? remaining : remaining - 1, remaining))
            {
                throw new InvalidOperationException("ERP unavailable (injected)");
            }
        }
        return inner.DispatchAsync(evt);
    }
}
