using System.Collections.Concurrent;
using Orleans.Runtime;
using Orleans.Streaming.Diagnostics;
using Orleans.Streams;
using Orleans.Webhooks.Grains.Routing;

namespace Orleans.Webhooks.Grains.Tests.Routing;

/// <summary>
/// The running pulling agents of the event stream, by silo and queue, as Orleans' streaming diagnostics announce them
/// (every cluster of the test process announces its own: callers pick their silos).
/// </summary>
public sealed class PullingAgents : IObserver<StreamingEvents.StreamingEvent>, IDisposable
{
    private readonly ConcurrentDictionary<(SiloAddress Silo, QueueId Queue), bool> _running = new();
    private readonly IDisposable _subscription;

    public PullingAgents() => _subscription = StreamingEvents.AllEvents.Subscribe(this);

    public SiloAddress[] PullersOf(QueueId queue, IReadOnlySet<SiloAddress> silos) =>
        [.. _running.Keys.Where(agent => agent.Queue.Equals(queue) && silos.Contains(agent.Silo)).Select(agent => agent.Silo)];

    public void OnNext(StreamingEvents.StreamingEvent value)
    {
        switch (value)
        {
            case StreamingEvents.PullingAgentStarted { StreamProvider: EventStreams.ProviderName, SiloAddress: { } silo } started:
                _running[(silo, started.QueueId)] = true;
                break;
            case StreamingEvents.PullingAgentStopped { StreamProvider: EventStreams.ProviderName, SiloAddress: { } silo } stopped:
                _running.TryRemove((silo, stopped.QueueId), out _);
                break;
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose() => _subscription.Dispose();
}
