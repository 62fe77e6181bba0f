using System.Globalization;
using System.Text.Json;
using Npgsql;
using Orleans.Webhooks.Grains.ChangeLog;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.WebApi.Ingestion;
using Orleans.Webhooks.WebApi.Management;

namespace Orleans.Webhooks.WebApi.Changes;

/// <summary>
/// What a business system pulls: <c>GET /api/changes</c> (every change of a view in commit order, long-polled with
/// <c>wait</c>) and <c>GET /api/payments|orders|customers</c> (current views page by page, to reconcile in bulk).
/// </summary>
public static partial class ChangeEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public const int MaxWaitSeconds = 30;

    public static IHostApplicationBuilder AddWebhookChanges(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ChangeDatabase>();
        builder.Services.AddSingleton(services => new ChangeLogReader(services.GetRequiredService<ChangeDatabase>().Source));
        builder.Services.AddSingleton<ViewStore>();
        builder.Services.AddSingleton<ChangeNotifications>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ChangeNotifications>());
        return builder;
    }

    public static IEndpointRouteBuilder MapChangesApi(this IEndpointRouteBuilder app)
    {
        // Not behind the management API's 10 s timeout: a long poll holds its request for up to MaxWaitSeconds.
        var api = app.MapGroup("/api").AddEndpointFilter<ManagementAccessFilter>();
        api.MapGet("/changes", ChangesAsync);
        api.MapGet("/payments", (HttpContext http, ViewStore store, ILoggerFactory loggers) => ListAsync(DomainKinds.Payment, http, store, loggers));
        api.MapGet("/orders", (HttpContext http, ViewStore store, ILoggerFactory loggers) => ListAsync(DomainKinds.Order, http, store, loggers));
        api.MapGet("/customers", (HttpContext http, ViewStore store, ILoggerFactory loggers) => ListAsync(DomainKinds.Customer, http, store, loggers));
        return app;
    }

    private static async Task<IResult> ChangesAsync(HttpContext http, ChangeLogReader changeLog, ChangeNotifications notifications, ILoggerFactory loggers)
    {
        var query = http.Request.Query;
        if (!TryLong(query["after"], 0, long.MaxValue, 0, out var after))
        {
            return Problems.BadRequest("after must be a cursor this API returned (a non-negative integer).");
        }
        if (!TryLong(query["limit"], 1, MaxLimit, DefaultLimit, out var limit))
        {
            return Problems.BadRequest($"limit must be between 1 and {MaxLimit}.");
        }
        if (!TryLong(query["wait"], 0, MaxWaitSeconds, 0, out var wait))
        {
            return Problems.BadRequest($"wait must be between 0 and {MaxWaitSeconds} seconds.");
        }
        // Only the first read can find changes gone: what commits while a poll waits is newer than any retention.
        var checkPruned = !string.IsNullOrEmpty(query["after"]);
        var cancellation = http.RequestAborted;
        var deadline = DateTimeOffset.UtcNow.AddSeconds(wait);
        try
        {
            while (true)
            {
                // Wait for the notification before reading, so a change committed between the read and the wait wakes us.
                var notified = notifications.WaitAsync(ChangeNotifications.PollInterval, cancellation);
                var changes = await changeLog.ReadAsync(after, (int)limit, kinds: null, cancellation);
                if (checkPruned && await PrunedAfterAsync(changeLog, after, changes, cancellation) is { } newest)
                {
                    return Pruned(after, newest);
                }
                checkPruned = false;
                var left = deadline - DateTimeOffset.UtcNow;
                if (changes.Count > 0 || left <= TimeSpan.Zero)
                {
                    var next = changes.Count > 0 ? changes[^1].Id : after.ToString(CultureInfo.InvariantCulture);
                    return Results.Ok(new { changes = changes.Select(AsFeedItem), next });
                }
                using (notifications.Waiting())
                {
                    await notified;
                }
            }
        }
        catch (NpgsqlException ex)
        {
            return Unavailable(loggers, ex);
        }
    }

    /// <summary>
    /// The change log is numbered without gaps (a lower number always commits first), and retention deletes only from
    /// its start: changes the reader has not seen are gone when the first change after <paramref name="after"/> is not
    /// the next number, or, with none after it, when the log's oldest kept change is past the next number or newer ones
    /// were committed and deleted. Returns the newest cursor then, null when nothing is missing.
    /// </summary>
    private static async Task<long?> PrunedAfterAsync(ChangeLogReader changeLog, long after, IReadOnlyList<Change> changes, CancellationToken cancellationToken)
    {
        if (changes.Count > 0 && changes[0].Seq == after + 1)
        {
            return null;
        }
        var (oldest, newest) = await changeLog.BoundsAsync(cancellationToken);
        var gone = oldest is { } first ? first > after + 1 : newest > after;
        return gone ? newest : null;
    }

    /// <summary>A change as the feed shows it: <c>{"cursor","kind","provider","id","view","event","at"}</c>.</summary>
    private static object AsFeedItem(Change change) => new
    {
        cursor = change.Id,
        kind = change.Kind,
        provider = change.Provider,
        id = change.ObjectId,
        view = JsonElement.Parse(change.View!),
        @event = change.EventKey,
        at = change.At,
    };

    private static IResult Pruned(long after, long newest) => Results.Problem(
        statusCode: StatusCodes.Status410Gone,
        title: "Changes deleted",
        detail: $"Changes after cursor {after} were deleted by retention (Webhooks:Retention:Changes) before this reader saw them. " +
                $"Reconcile from GET /api/payments, /api/orders and /api/customers, then follow the feed from cursor {newest}.",
        extensions: new Dictionary<string, object?> { ["newest"] = newest.ToString(CultureInfo.InvariantCulture) });

    private static async Task<IResult> ListAsync(string kind, HttpContext http, ViewStore store, ILoggerFactory loggers)
    {
        var query = http.Request.Query;
        if (!TryLong(query["limit"], 1, MaxLimit, DefaultLimit, out var limit))
        {
            return Problems.BadRequest($"limit must be between 1 and {MaxLimit}.");
        }
        if (!ViewCursor.TryDecode(query["after"], out var after))
        {
            return Problems.BadRequest("after must be a cursor this API returned in 'next'.");
        }
        DateTimeOffset? updatedAfter = null;
        if (!string.IsNullOrEmpty(query["updatedAfter"]))
        {
            if (!DateTimeOffset.TryParse(query["updatedAfter"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return Problems.BadRequest("updatedAfter must be an ISO 8601 time, such as 2026-12-01T00:00:00Z.");
            }
            updatedAfter = parsed;
        }
        var provider = NullIfEmpty(query["provider"])?.ToLowerInvariant();
        try
        {
            var (items, next) = await store.ListAsync(kind, provider, NullIfEmpty(query["status"]), NullIfEmpty(query["customer"]), updatedAfter, after, (int)limit, http.RequestAborted);
            return Results.Ok(new { items, next });
        }
        catch (NpgsqlException ex)
        {
            return Unavailable(loggers, ex);
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool TryLong(string? text, long min, long max, long fallback, out long value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }

    private static IResult Unavailable(ILoggerFactory loggers, NpgsqlException exception)
    {
        LogUnavailable(loggers.CreateLogger(typeof(ChangeEndpoints)), exception);
        return Problems.Unavailable("The database did not answer; retry later.");
    }

    [LoggerMessage(EventId = 5302, Level = LogLevel.Error, Message = "Reading changes or views failed; answered 503")]
    private static partial void LogUnavailable(ILogger logger, Exception exception);
}
