using System.Collections.Concurrent;
using System.Reflection;
using Orleans.Runtime;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.WebApi.Tests.Edge;

/// <summary>
/// Stands in for the Orleans client's <see cref="IGrainFactory"/>, so that the web API runs without a silo. Event grains
/// answer what <see cref="Accept"/> says (by default accepted once a key, duplicate after); the query grain answers
/// from <see cref="StoredEvents"/>; domain grains have no view. Every call is recorded.
/// </summary>
public sealed class FakeGrains : IGrainFactory
{
    /// <summary>What an event grain answers; by default accepted the first time a key is seen, duplicate after.</summary>
    public Func<IncomingEvent, Task<AcceptOutcome>> Accept { get; set; }

    public ConcurrentQueue<IncomingEvent> Accepted { get; } = new();

    public ConcurrentQueue<(string Key, string? Type)> Replays { get; } = new();

    public ConcurrentDictionary<(string Provider, string ExternalId), EventView> StoredEvents { get; } = new();

    /// <summary>Every (provider, externalId) the query grain was asked for.</summary>
    public ConcurrentQueue<(string Provider, string ExternalId)> EventLookups { get; } = new();

    /// <summary>Every list query the query grain was asked.</summary>
    public ConcurrentQueue<EventQuery> Queries { get; } = new();

    /// <summary>Every (grain interface, key) a domain grain was asked for its view.</summary>
    public ConcurrentQueue<(Type Grain, string Key)> ViewLookups { get; } = new();

    public FakeGrains() => Accept = AcceptOnceThenDuplicate();

    /// <summary>Accepted the first time a key is seen, duplicate after, as the event grain's unique key makes it.</summary>
    public static Func<IncomingEvent, Task<AcceptOutcome>> AcceptOnceThenDuplicate()
    {
        var seen = new ConcurrentDictionary<string, byte>();
        return incoming => Task.FromResult(seen.TryAdd(incoming.Key, 0) ? AcceptOutcome.Accepted : AcceptOutcome.Duplicate);
    }

    TGrainInterface IGrainFactory.GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix) => (TGrainInterface)Grain(typeof(TGrainInterface), primaryKey);

    TGrainInterface IGrainFactory.GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix) => (TGrainInterface)Grain(typeof(TGrainInterface), primaryKey.ToString(System.Globalization.CultureInfo.InvariantCulture));

    TGrainInterface IGrainFactory.GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix) => throw new NotSupportedException();

    TGrainInterface IGrainFactory.GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix) => throw new NotSupportedException();

    TGrainInterface IGrainFactory.GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix) => throw new NotSupportedException();

    TGrainObserverInterface IGrainFactory.CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj) => throw new NotSupportedException();

    void IGrainFactory.DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj) => throw new NotSupportedException();

    IGrain IGrainFactory.GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => throw new NotSupportedException();

    IGrain IGrainFactory.GetGrain(Type grainInterfaceType, long grainPrimaryKey) => throw new NotSupportedException();

    IGrain IGrainFactory.GetGrain(Type grainInterfaceType, string grainPrimaryKey) => throw new NotSupportedException();

    IGrain IGrainFactory.GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => throw new NotSupportedException();

    IGrain IGrainFactory.GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => throw new NotSupportedException();

    TGrainInterface IGrainFactory.GetGrain<TGrainInterface>(GrainId grainId) => throw new NotSupportedException();

    IAddressable IGrainFactory.GetGrain(GrainId grainId) => throw new NotSupportedException();

    IAddressable IGrainFactory.GetGrain(GrainId grainId, GrainInterfaceType interfaceType) => throw new NotSupportedException();

    IAddressable IGrainFactory.GetGrain(Type interfaceType, IdSpan grainKey, string grainClassNamePrefix) => throw new NotSupportedException();

    IAddressable IGrainFactory.GetGrain(Type interfaceType, IdSpan grainKey) => throw new NotSupportedException();

    private object Grain(Type grainInterface, string key)
    {
        if (grainInterface == typeof(IEventGrain))
        {
            return new EventGrain(this, key);
        }
        if (grainInterface == typeof(IEventQueryGrain))
        {
            return new EventQueryGrain(this);
        }
        var proxy = DispatchProxy.Create(grainInterface, typeof(ViewGrain));
        ((ViewGrain)proxy).Bind(this, grainInterface, key);
        return proxy;
    }

    private sealed class EventGrain(FakeGrains grains, string key) : IEventGrain
    {
        public Task<AcceptOutcome> AcceptAsync(IncomingEvent incoming)
        {
            grains.Accepted.Enqueue(incoming);
            return grains.Accept(incoming);
        }

        public Task<bool> ReplayAsync(string? type)
        {
            grains.Replays.Enqueue((key, type));
            return Task.FromResult(true);
        }
    }

    private sealed class EventQueryGrain(FakeGrains grains) : IEventQueryGrain
    {
        public Task<EventView?> GetAsync(string provider, string externalId)
        {
            grains.EventLookups.Enqueue((provider, externalId));
            return Task.FromResult(grains.StoredEvents.GetValueOrDefault((provider, externalId)));
        }

        public Task<EventPayload?> GetPayloadAsync(string provider, string externalId)
        {
            grains.EventLookups.Enqueue((provider, externalId));
            return Task.FromResult(grains.StoredEvents.ContainsKey((provider, externalId))
                ? new EventPayload { Body = System.Text.Encoding.UTF8.GetBytes(externalId), ContentType = "text/plain; charset=utf-8" }
                : null);
        }

        public Task<EventPage> ListAsync(EventQuery query)
        {
            grains.Queries.Enqueue(query);
            return Task.FromResult(new EventPage
            {
                Items = [.. grains.StoredEvents.Values.Where(e => (query.State is null || e.State == query.State) && (query.Provider is null || e.Provider == query.Provider)).Take(query.Limit)],
            });
        }

        public Task<int> ReplayManyAsync(IReadOnlyList<EventReplay> events) => Task.FromResult(events.Count);

        public Task<EventSummary> SummaryAsync() => Task.FromResult(new EventSummary { AcceptedPerMinute = new long[60] });

        public Task PingAsync() => Task.CompletedTask;
    }

    /// <summary>A payment, order or customer grain with no view: <c>GetAsync</c> answers null; anything else is not for the edge.</summary>
    public class ViewGrain : DispatchProxy
    {
        private FakeGrains? _grains;
        private Type? _interface;
        private string? _key;

        internal void Bind(FakeGrains grains, Type grainInterface, string key) => (_grains, _interface, _key) = (grains, grainInterface, key);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name != "GetAsync" || !targetMethod.ReturnType.IsGenericType)
            {
                throw new NotSupportedException($"{targetMethod?.Name} is not called by the web API's management endpoints.");
            }
            _grains!.ViewLookups.Enqueue((_interface!, _key!));
            var view = targetMethod.ReturnType.GetGenericArguments()[0];
            return typeof(Task).GetMethod(nameof(Task.FromResult))!.MakeGenericMethod(view).Invoke(null, [null]);
        }
    }
}
