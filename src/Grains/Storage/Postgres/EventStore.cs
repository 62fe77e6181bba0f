using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Routing;
using Orleans.Webhooks.Grains.Telemetry;
using Orleans.Webhooks.Grains.Processing;
using Orleans.Webhooks.Grains.Interfaces.Telemetry;

namespace Orleans.Webhooks.Grains.Storage.Postgres;

/// <summary>
/// The event store on PostgreSQL's webhook_events table. Writes on the hot path (new events, duplicate counts, outcomes)
/// go through group-commit batchers: many concurrent grains share one round trip and one commit. The raw body is stored
/// byte for byte; the text derived from it (types, details, errors) as <see cref="StoredText"/> makes it storable.
/// </summary>
public sealed class EventStore : IEventStore, IAsyncDisposable
{
    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web);

    private readonly NpgsqlDataSource _db;
    private readonly TimeSpan _recoverAfter;
    private readonly Batcher<IncomingEvent, bool> _inserts;
    private readonly Batcher<(string Provider, string ExternalId), bool> _duplicates;
    private readonly Batcher<EventOutcome, bool> _outcomes;

    /// <param name="recoverAfter">How long a stored or reopened event waits before the recovery sweep may claim it.</param>
    public EventStore(NpgsqlDataSource db, StorageOptions storage, TimeSpan recoverAfter, ILogger<EventStore> logger)
    {
        _db = db;
        _recoverAfter = recoverAfter;
        _inserts = new Batcher<IncomingEvent, bool>("insert-events", InsertBatchAsync, storage.InsertWorkers, storage.MaxBatch, logger);
        _duplicates = new Batcher<(string, string), bool>("count-duplicates", CountDuplicatesAsync, 1, storage.MaxBatch, logger);
        _outcomes = new Batcher<EventOutcome, bool>("record-outcomes", RecordOutcomesAsync, storage.OutcomeWorkers, storage.MaxBatch, logger);
    }

    public Task<bool> InsertAsync(IncomingEvent incoming) => _inserts.EnqueueAsync(incoming);

    public Task CountDuplicateAsync(string provider, string externalId) => _duplicates.EnqueueAsync((provider, externalId));

    public Task RecordOutcomeAsync(EventOutcome outcome) => _outcomes.EnqueueAsync(outcome);

    private async Task<IReadOnlyList<bool>> InsertBatchAsync(IReadOnlyList<IncomingEvent> batch, CancellationToken cancellationToken)
    {
        WebhookMetrics.BatchSize.Record(batch.Count);
        await using var command = _db.CreateCommand("""
            INSERT INTO webhook_events (provider, external_id, provider_type, type, received_at, recover_at, content_type, details, payload, objects)
            SELECT u.provider, u.external_id, u.provider_type, u.type, u.received_at, now() + @recover_after, u.content_type, u.details::jsonb, u.payload,
                   COALESCE(o.objects, '{}')
            FROM unnest(@provider, @external_id, @provider_type, @type, @received_at, @content_type, @details, @payload) WITH ORDINALITY
                 AS u(provider, external_id, provider_type, type, received_at, content_type, details, payload, row)
            LEFT JOIN (SELECT x.row, array_agg(x.object) AS objects FROM unnest(@object_row, @object) AS x(row, object) GROUP BY x.row) o
                 ON o.row = u.row
            ON CONFLICT (provider, external_id) DO NOTHING
            RETURNING provider, external_id
            """);
        command.Parameters.Add(new NpgsqlParameter<TimeSpan>("recover_after", _recoverAfter));
        command.Parameters.Add(new NpgsqlParameter<string[]>("provider", batch.Select(e => e.Provider).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("external_id", batch.Select(e => e.ExternalId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string?[]>("provider_type", batch.Select(e => StoredText.CleanOrNull(e.ProviderType)).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string?[]>("type", batch.Select(e => StoredText.CleanOrNull(e.Type)).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateTime[]>("received_at", batch.Select(e => e.ReceivedAt.UtcDateTime).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string?[]>("content_type", batch.Select(e => StoredText.CleanOrNull(e.ContentType)).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("details", batch.Select(e => StoredText.CleanJson(JsonSerializer.Serialize(e.Details, DetailsJson))).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<byte[][]>("payload", batch.Select(e => e.Payload).ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        var objects = StoredObjects(batch);
        command.Parameters.Add(new NpgsqlParameter<long[]>("object_row", objects.Select(o => o.Row).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("object", objects.Select(o => o.Object).ToArray()));

        var inserted = new HashSet<(string, string)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                inserted.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        // Within one batch a key can appear twice (two activations on one silo during a membership change): only the first wins.
        return batch.Select(e => inserted.Remove((e.Provider, e.ExternalId))).ToArray();
    }

    /// <summary>
    /// The objects each event names (<see cref="EventObjects"/>), flat, each with its event's 1-based row in the batch:
    /// one array per column is what unnest takes (a text[][] would flatten). Storable as the event's other derived text.
    /// </summary>
    private static (long Row, string Object)[] StoredObjects(IReadOnlyList<IncomingEvent> batch) =>
        batch.SelectMany((e, i) => EventObjects.Of(e.Provider, e.Type, e.Details).Select(o => (Row: i + 1L, Object: StoredText.Clean(o.ToStored()))))
            .ToArray();

    private async Task<IReadOnlyList<bool>> CountDuplicatesAsync(IReadOnlyList<(string Provider, string ExternalId)> batch, CancellationToken cancellationToken)
    {
        var counts = batch.GroupBy(k => k).Select(g => (g.Key.Provider, g.Key.ExternalId, Count: g.Count())).ToArray();
        await using var command = _db.CreateCommand("""
            UPDATE webhook_events e SET deliveries = e.deliveries + u.n
            FROM unnest(@provider, @external_id, @n) AS u(provider, external_id, n)
            WHERE e.provider = u.provider AND e.external_id = u.external_id
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]>("provider", counts.Select(c => c.Provider).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("external_id", counts.Select(c => c.ExternalId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<int[]>("n", counts.Select(c => c.Count).ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return batch.Select(_ => true).ToArray();
    }

    private async Task<IReadOnlyList<bool>> RecordOutcomesAsync(IReadOnlyList<EventOutcome> batch, CancellationToken cancellationToken)
    {
        // One row per event: attempts add up, the last outcome of a key in the batch wins. An event that some run has
        // processed stays processed: a slower run of it (a sweep's or a replay's, overlapping) that failed or gave up
        // on an outage says nothing more, since effects apply once.
        var rows = batch
            .GroupBy(o => (o.Provider, o.ExternalId))
            .Select(g => g.Last() with { Attempts = g.Sum(o => o.Attempts) })
            .ToArray();
        await using var command = _db.CreateCommand("""
            UPDATE webhook_events e
            SET state = u.state, attempts = e.attempts + u.attempts, last_error = u.last_error,
                processed_at = CASE WHEN u.state = 'received' THEN e.processed_at ELSE u.at END
            FROM unnest(@provider, @external_id, @state, @attempts, @last_error, @at)
                 AS u(provider, external_id, state, attempts, last_error, at)
            WHERE e.provider = u.provider AND e.external_id = u.external_id
              AND NOT (e.state = 'processed' AND u.state <> 'processed')
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]>("provider", rows.Select(o => o.Provider).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("external_id", rows.Select(o => o.ExternalId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("state", rows.Select(o => o.State).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<int[]>("attempts", rows.Select(o => o.Attempts).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string?[]>("last_error", rows.Select(o => StoredText.CleanOrNull(o.Error)).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateTime[]>("at", rows.Select(o => o.At.UtcDateTime).ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return batch.Select(_ => true).ToArray();
    }

    private const string ViewColumns =
        "provider, external_id, provider_type, type, state, deliveries, attempts, last_error, received_at, processed_at, objects";

    public async Task<EventView?> GetAsync(string provider, string externalId)
    {
        await using var command = _db.CreateCommand($"SELECT {ViewColumns} FROM webhook_events WHERE provider = @provider AND external_id = @external_id");
        command.Parameters.Add(new NpgsqlParameter<string>("provider", provider));
        command.Parameters.Add(new NpgsqlParameter<string>("external_id", externalId));
        var views = await ReadViewsAsync(command).ConfigureAwait(false);
        return views.Count == 0 ? null : views[0];
    }

    public async Task<EventPayload?> GetPayloadAsync(string provider, string externalId)
    {
        await using var command = _db.CreateCommand("SELECT payload, content_type FROM webhook_events WHERE provider = @provider AND external_id = @external_id");
        command.Parameters.Add(new NpgsqlParameter<string>("provider", provider));
        command.Parameters.Add(new NpgsqlParameter<string>("external_id", externalId));
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        if (!await reader.ReadAsync().ConfigureAwait(false))
        {
            return null;
        }
        return new EventPayload { Body = reader.GetFieldValue<byte[]>(0), ContentType = reader.IsDBNull(1) ? null : reader.GetString(1) };
    }

    /// <summary>
    /// Only the conditions a query uses are in its SQL, so that PostgreSQL plans each shape of filter with the index that
    /// serves it (a catch-all "@x IS NULL OR" plan, once prepared, could not). Every shape ends in received_at, so the
    /// index both filters and orders; the cursor's "received_at &lt;= t" bounds the index scan and the key breaks ties.
    /// </summary>
    public async Task<EventPage> ListAsync(EventQuery query)
    {
        var where = new List<string>();
        await using var command = _db.CreateCommand();
        void Add(string condition, params NpgsqlParameter[] parameters)
        {
            where.Add(condition);
            command.Parameters.AddRange(parameters);
        }
        if (query.State is { } state)
        {
            Add("state = @state", new NpgsqlParameter<string>("state", state));
        }
        if (query.Provider is { } provider)
        {
            Add("provider = @provider", new NpgsqlParameter<string>("provider", provider));
        }
        if (query.Type is { } type)
        {
            Add("type = @type", new NpgsqlParameter<string>("type", type));
        }
        if (query.Object is { } named)
        {
            Add("objects && @objects", new NpgsqlParameter<string[]>("objects", StoredKeys(named, query.ObjectKind)));
        }
        if (query.Search is { } search)
        {
            Add("(external_id = @search OR objects && @search_objects)",
                new NpgsqlParameter<string>("search", search), new NpgsqlParameter<string[]>("search_objects", StoredKeys(search, null)));
        }
        if (query.Since is { } since)
        {
            Add("received_at >= @since", new NpgsqlParameter<DateTime>("since", since.UtcDateTime));
        }
        if (query.Until is { } until)
        {
            Add("received_at < @until", new NpgsqlParameter<DateTime>("until", until.UtcDateTime));
        }
        if (query.After is { } after)
        {
            Add("received_at <= @after_at AND (received_at < @after_at OR (provider, external_id) < (@after_provider, @after_id))",
                new NpgsqlParameter<DateTime>("after_at", after.ReceivedAt.UtcDateTime),
                new NpgsqlParameter<string>("after_provider", after.Provider),
                new NpgsqlParameter<string>("after_id", after.ExternalId));
        }
        command.Parameters.Add(new NpgsqlParameter<int>("limit", query.Limit));
        command.CommandText = $"""
            SELECT {ViewColumns} FROM webhook_events
            {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))}
            ORDER BY received_at DESC, provider DESC, external_id DESC
            LIMIT @limit
            """;
        var items = await ReadViewsAsync(command).ConfigureAwait(false);
        var next = items.Count == query.Limit && items.Count > 0
            ? new EventCursor { ReceivedAt = items[^1].ReceivedAt, Provider = items[^1].Provider, ExternalId = items[^1].ExternalId }
            : null;
        return new EventPage { Items = items, Next = next };
    }

    /// <summary>How the objects column holds an id of the kind given, or of any kind.</summary>
    private static string[] StoredKeys(string id, string? kind) =>
        (kind is null ? DomainKinds.All : [kind]).Select(k => $"{k}:{id}").ToArray();

    public async Task<int> ReopenManyAsync(IReadOnlyList<EventReplay> events)
    {
        if (events.Count == 0)
        {
            return 0;
        }
        await using var command = _db.CreateCommand("""
            UPDATE webhook_events e
            SET state = 'received', type = COALESCE(u.type, e.type), recover_at = now()
            FROM unnest(@provider, @external_id, @type) AS u(provider, external_id, type)
            WHERE e.provider = u.provider AND e.external_id = u.external_id
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]>("provider", events.Select(e => e.Provider).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("external_id", events.Select(e => e.ExternalId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string?[]>("type", events.Select(e => e.Type).ToArray()));
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// One round trip. Each count reads an index range: the last hour of received_at, the events still 'received'
    /// (state, received_at), and a day of failures (state, received_at).
    /// </summary>
    public async Task<EventSummary> SummaryAsync()
    {
        await using var command = _db.CreateCommand("""
            WITH minutes AS (
                SELECT date_trunc('minute', received_at) AS minute, count(*) AS n FROM webhook_events
                WHERE received_at >= date_trunc('minute', now()) - interval '59 minutes'
                GROUP BY 1)
            SELECT (SELECT array_agg(COALESCE(m.n, 0) ORDER BY g.minute)
                    FROM generate_series(date_trunc('minute', now()) - interval '59 minutes', date_trunc('minute', now()), interval '1 minute') AS g(minute)
                    LEFT JOIN minutes m ON m.minute = g.minute),
                   (SELECT count(*) FROM webhook_events WHERE state = 'received'),
                   (SELECT COALESCE(extract(epoch FROM now() - min(received_at)), 0)::float8 FROM webhook_events WHERE state = 'received'),
                   (SELECT count(*) FROM webhook_events WHERE state = 'failed' AND received_at >= now() - interval '24 hours')
            """);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        await reader.ReadAsync().ConfigureAwait(false);
        return new EventSummary
        {
            AcceptedPerMinute = reader.GetFieldValue<long[]>(0),
            Backlog = reader.GetInt64(1),
            OldestAgeSeconds = reader.GetDouble(2),
            FailedLastDay = reader.GetInt64(3),
        };
    }

    private static async Task<IReadOnlyList<EventView>> ReadViewsAsync(NpgsqlCommand command)
    {
        var views = new List<EventView>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var provider = reader.GetString(0);
            views.Add(new EventView
            {
                Provider = provider,
                ExternalId = reader.GetString(1),
                ProviderType = reader.IsDBNull(2) ? null : reader.GetString(2),
                Type = reader.IsDBNull(3) ? null : reader.GetString(3),
                State = reader.GetString(4),
                Deliveries = reader.GetInt32(5),
                Attempts = reader.GetInt32(6),
                LastError = reader.IsDBNull(7) ? null : reader.GetString(7),
                ReceivedAt = reader.GetFieldValue<DateTimeOffset>(8),
                ProcessedAt = reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                Objects = reader.GetFieldValue<string[]>(10).Select(o => EventObject.FromStored(provider, o)).ToArray(),
            });
        }
        return views;
    }

    public async Task<WebhookEvent?> ReopenAsync(string provider, string externalId, string? type)
    {
        await using var command = _db.CreateCommand("""
            UPDATE webhook_events
            SET state = 'received', type = COALESCE(@type, type), recover_at = now() + @recover_after
            WHERE provider = @provider AND external_id = @external_id
            RETURNING provider, external_id, type, details, received_at
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("provider", provider));
        command.Parameters.Add(new NpgsqlParameter<string>("external_id", externalId));
        command.Parameters.Add(new NpgsqlParameter<string?>("type", StoredText.CleanOrNull(type)) { NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan>("recover_after", _recoverAfter));
        var events = await ReadEventsAsync(command).ConfigureAwait(false);
        return events.Count == 0 ? null : events[0];
    }

    /// <summary>
    /// Recovery times are set and compared on the database's clock only: the web API's and the silos' hosts may disagree
    /// about the time.
    /// </summary>
    public async Task<IReadOnlyList<WebhookEvent>> ClaimOverdueAsync(int limit, TimeSpan early, CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand("""
            UPDATE webhook_events e SET recover_at = now() + @recover_after + @early
            FROM (SELECT provider, external_id FROM webhook_events
                  WHERE state = 'received' AND recover_at <= now() + @early
                  ORDER BY recover_at LIMIT @limit FOR UPDATE SKIP LOCKED) AS due
            WHERE e.provider = due.provider AND e.external_id = due.external_id
            RETURNING e.provider, e.external_id, e.type, e.details, e.received_at
            """);
        command.Parameters.Add(new NpgsqlParameter<TimeSpan>("recover_after", _recoverAfter));
        command.Parameters.Add(new NpgsqlParameter<TimeSpan>("early", early));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        return await ReadEventsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<WebhookEvent>> ReadEventsAsync(NpgsqlCommand command, CancellationToken cancellationToken = default)
    {
        var events = new List<WebhookEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new WebhookEvent
            {
                Provider = reader.GetString(0),
                ExternalId = reader.GetString(1),
                Type = reader.IsDBNull(2) ? null : reader.GetString(2),
                Details = JsonSerializer.Deserialize<EventDetails>(reader.GetString(3), DetailsJson) ?? EventDetails.Empty,
                ReceivedAt = reader.GetFieldValue<DateTimeOffset>(4),
            });
        }
        return events;
    }

    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _db.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _inserts.DisposeAsync().ConfigureAwait(false);
        await _duplicates.DisposeAsync().ConfigureAwait(false);
        await _outcomes.DisposeAsync().ConfigureAwait(false);
    }
}
