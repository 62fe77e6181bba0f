using System.Globalization;
using System.Text;
using System.Text.Json;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.WebApi.Management;

/// <summary>The opaque <c>next</c> of the event list: the last item's receipt time and key, base64url so that it travels in a query.</summary>
public static class EventCursors
{
    public static string Encode(EventCursor cursor) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new[]
        {
            cursor.ReceivedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), cursor.Provider, cursor.ExternalId,
        })).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string text, out EventCursor? cursor)
    {
        cursor = null;
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            if (JsonSerializer.Deserialize<string[]>(Encoding.UTF8.GetString(Convert.FromBase64String(base64))) is [var ticks, var provider, var id]
                && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var utcTicks)
                && utcTicks <= DateTimeOffset.MaxValue.UtcTicks)
            {
                cursor = new EventCursor { ReceivedAt = new DateTimeOffset(utcTicks, TimeSpan.Zero), Provider = provider, ExternalId = id };
                return true;
            }
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
        }
        return false;
    }
}
