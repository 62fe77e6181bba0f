using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.Tests.InMemory;

/// <summary>
/// The event table in memory, with the rules of the PostgreSQL store that callers rely on: the key decides between new
/// and duplicate, an event some run has processed stays processed, attempts add up, and only events still 'received'
/// past their recovery time are claimed (their recovery time moves on when claimed). One instance serves every silo of a
/// test cluster, as one database would.
/// </summary>
public sealed class InMemoryEventStore(TimeSpan recoverAfter, TimeProvider time) : IEventStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Provider, string ExternalId), Row> _rows = [];

    public Task<bool> InsertAsync(IncomingEvent incoming)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.TryAdd((incoming.Provider, incoming.ExternalId), new Row(incoming, time.GetUtcNow() + recoverAfter)));
        }
    }

    public Task CountDuplicateAsync(string provider, string externalId)
    {
        lock (_lock)
        {
            if (_rows.TryGetValue((provider, externalId), out var row))
            {
                row.Deliveries++;
            }
        }
        return Task.CompletedTask;
    }

    public Task RecordOutcomeAsync(EventOutcome outcome)
    {
        lock (_lock)
        {
            if (_rows.TryGetValue((outcome.Provider, outcome.ExternalId), out var row)
                && !(row.State == EventStates.Processed && outcome.State != EventStates.Processed))
            {
                row.State = outcome.State;
                row.Attempts += outcome.Attempts;
                row.LastError = outcome.Error;
                row.ProcessedAt = outcome.State == EventStates.Received ? row.ProcessedAt : outcome.At;
            }
        }
        return Task.CompletedTask;
    }

    public Task<WebhookEvent?> ReopenAsync(string provider, string externalId, string? type)
    {
        lock (_lock)
        {
            if (!_rows.TryGetValue((provider, externalId), out var row))
            {
                return Task.FromResult<WebhookEvent?>(null);
            }
            row.State = EventStates.Received;
            row.Type = type ?? row.Type;
            row.RecoverAt = time.GetUtcNow() + recoverAfter;
            return Task.FromResult<WebhookEvent?>(row.ToEvent());
        }
    }

    public Task<IReadOnlyList<WebhookEvent>> ClaimOverdueAsync(int limit, TimeSpan early, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var due = _rows.Values.Where(r => r.State == EventStates.Received && r.RecoverAt <= now + early).OrderBy(r => r.RecoverAt).Take(limit).ToList();
            foreach (var row in due)
            {
                row.RecoverAt = now + recoverAfter + early;
            }
            return Task.FromResult<IReadOnlyList<WebhookEvent>>(due.Select(r => r.ToEvent()).ToList());
        }
    }

    public Task<EventView?> GetAsync(string provider, string externalId)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.TryGetValue((provider, externalId), out var row) ? row.ToView() : null);
        }
    }

    public Task<EventPayload?> GetPayloadAsync(string provider, string externalId)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.TryGetValue((provider, externalId), out var row)
                ? new EventPayload { Body = row.Incoming.Payload, ContentType = row.Incoming.ContentType }
                : null);
        }
    }

    /// <summary>State and provider filters and the limit; the cluster tests use no other.</summary>
    public Task<EventPage> ListAsync(EventQuery query)
    {
        lock (_lock)
        {
            return Task.FromResult(new EventPage
            {
                Items = _rows.Values
                    .Where(r => (query.State is null || r.State == query.State) && (query.Provider is null || r.Incoming.Provider == query.Provider))
                    .OrderByDescending(r => r.Incoming.ReceivedAt).ThenByDescending(r => r.Incoming.ExternalId, StringComparer.Ordinal)
                    .Take(query.Limit)
                    .Select(r => r.ToView())
                    .ToList(),
            });
        }
    }

    public Task<int> ReopenManyAsync(IReadOnlyList<EventReplay> events)
    {
        lock (_lock)
        {
            var reopened = 0;
            foreach (var replay in events)
            {
                if (_rows.TryGetValue((replay.Provider, replay.ExternalId), out var row))
                {
                    row.State = EventStates.Received;
                    row.Type = replay.Type ?? row.Type;
                    row.RecoverAt = time.GetUtcNow();
                    reopened++;
                }
            }
            return Task.FromResult(reopened);
        }
    }

    public Task<EventSummary> SummaryAsync() => throw new NotSupportedException("The console's summary is tested on PostgreSQL.");

    public Task PingAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    private sealed class Row(IncomingEvent incoming, DateTimeOffset recoverAt)
    {
        public IncomingEvent Incoming { get; } = incoming;
        public string? Type { get; set; } = incoming.Type;
        public string State { get; set; } = EventStates.Received;
        public int Deliveries { get; set; } = 1;
        public int Attempts { get; set; }
        public string? LastError { get; set; }
        public DateTimeOffset? ProcessedAt { get; set; }
        public DateTimeOffset RecoverAt { get; set; } = recoverAt;

        public WebhookEvent ToEvent() => new()
        {
            Provider = Incoming.Provider,
            ExternalId = Incoming.ExternalId,
            Type = Type,
            Details = Incoming.Details,
            ReceivedAt = Incoming.ReceivedAt,
        };

        public EventView ToView() => new()
        {
            Provider = Incoming.Provider,
            ExternalId = Incoming.ExternalId,
            ProviderType = Incoming.ProviderType,
            Type = Type,
            State = State,
            Deliveries = Deliveries,
            Attempts = Attempts,
            LastError = LastError,
            ReceivedAt = Incoming.ReceivedAt,
            ProcessedAt = ProcessedAt,
        };
    }
}
