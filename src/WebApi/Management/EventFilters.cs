using System.Globalization;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.WebApi.Management;

/// <summary>
/// The filters of <c>GET /api/events</c>, <c>POST /api/events/replay</c> and the console's event list, read from a query
/// string. An empty value is no filter (what an HTML form sends for a field left blank).
/// </summary>
public static class EventFilters
{
    public const int DefaultReplayLimit = 1000;
    public const int MaxReplayLimit = 10_000;

    /// <summary>The list's filters and page; the error says which parameter is wrong.</summary>
    public static bool TryParseList(IQueryCollection query, out EventQuery parsed, out string? error) =>
        TryParse(query, ManagementEndpoints.DefaultListLimit, ManagementEndpoints.MaxListLimit, out parsed, out error)
        && TryCursor(query, ref parsed, out error);

    /// <summary>A bulk replay's filters: <c>state</c> is required, <c>limit</c> bounds how many (at most <see cref="MaxReplayLimit"/>).</summary>
    public static bool TryParseReplay(IQueryCollection query, out EventQuery parsed, out string? error)
    {
        if (!TryParse(query, DefaultReplayLimit, MaxReplayLimit, out parsed, out error))
        {
            return false;
        }
        if (parsed.State is null)
        {
            error = $"state is required: the state of the events to replay ({string.Join(", ", EventStates.All)}).";
            return false;
        }
        if (Value(query, "after") is not null)
        {
            error = "after is not a parameter of a replay: it replays from the newest matching event.";
            return false;
        }
        return true;
    }

    private static bool TryParse(IQueryCollection query, int defaultLimit, int maxLimit, out EventQuery parsed, out string? error)
    {
        parsed = new EventQuery();
        error = null;
        var state = Value(query, "state");
        if (state is not null && !EventStates.All.Contains(state))
        {
            error = $"state must be one of {string.Join(", ", EventStates.All)}.";
            return false;
        }
        var limit = defaultLimit;
        if (Value(query, "limit") is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > maxLimit))
        {
            error = $"limit must be between 1 and {maxLimit}.";
            return false;
        }
        if (!TryTime(query, "since", out var since, out error) || !TryTime(query, "until", out var until, out error))
        {
            return false;
        }
        parsed = new EventQuery
        {
            State = state,
            Provider = Value(query, "provider")?.ToLowerInvariant(),
            Type = Value(query, "type"),
            Object = Value(query, "object"),
            Search = Value(query, "q"),
            Since = since,
            Until = until,
            Limit = limit,
        };
        return true;
    }

    private static bool TryCursor(IQueryCollection query, ref EventQuery parsed, out string? error)
    {
        error = null;
        if (Value(query, "after") is not { } after)
        {
            return true;
        }
        if (!EventCursors.TryDecode(after, out var cursor))
        {
            error = "after must be a cursor this API returned in 'next'.";
            return false;
        }
        parsed = parsed with { After = cursor };
        return true;
    }

    private static bool TryTime(IQueryCollection query, string name, out DateTimeOffset? time, out string? error)
    {
        time = null;
        error = null;
        if (Value(query, name) is not { } text)
        {
            return true;
        }
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            error = $"{name} must be an ISO 8601 time, such as 2026-12-01T00:00:00Z.";
            return false;
        }
        time = parsed;
        return true;
    }

    public static string? Value(IQueryCollection query, string name) =>
        query[name].ToString() is { Length: > 0 } value ? value : null;
}
