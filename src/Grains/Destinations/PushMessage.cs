using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.ChangeLog;
using Orleans.Webhooks.Grains.Interfaces.Destinations;

namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// A change as a destination receives it (contract, section 6): the same body in both formats,
/// <c>{"id","type","data","cause"}</c>, or for a destination with <c>Batch</c> above 1 a batch of them,
/// <c>{"changes":[...]}</c>, signed with the destination's first secret.
/// </summary>
internal static class PushMessage
{
    public static byte[] Body(Change change)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, change);
        }
        return buffer.ToArray();
    }

    /// <summary><c>{"changes":[...]}</c>, in the order given (change order).</summary>
    public static byte[] BatchBody(IReadOnlyList<Change> changes)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("changes");
            foreach (var change in changes)
            {
                Write(json, change);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The body of one POST of <paramref name="changes"/> to <paramref name="destination"/>, and the id it goes by.</summary>
    public static (byte[] Body, string Id) Of(IReadOnlyList<Change> changes, DestinationOptions destination)
    {
        if (!destination.Batched)
        {
            return changes.Count == 1 ? (Body(changes[0]), changes[0].Id) : throw new ArgumentException("one change per POST", nameof(changes));
        }
        // hmac: "<first>-<last>"; standard-webhooks ids are one token: "batch_<first>_<last>".
        var id = IsStandardWebhooks(destination) ? $"batch_{changes[0].Id}_{changes[^1].Id}" : $"{changes[0].Id}-{changes[^1].Id}";
        return (BatchBody(changes), id);
    }

    private static void Write(Utf8JsonWriter json, Change change)
    {
        json.WriteStartObject();
        json.WriteString("id", change.Id);
        json.WriteString("type", $"{change.Kind}.updated");
        json.WritePropertyName("data");
        json.WriteRawValue(change.View ?? "null");
        json.WriteStartObject("cause");
        json.WriteString("event", change.EventKey);
        json.WriteString("type", change.EventType);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static bool IsStandardWebhooks(DestinationOptions destination) =>
        string.Equals(destination.Format, DestinationOptions.StandardWebhooks, StringComparison.OrdinalIgnoreCase);

    /// <summary>The signature headers for <paramref name="body"/>; <paramref name="now"/> is the standard-webhooks timestamp.</summary>
    public static IReadOnlyList<(string Name, string Value)> Headers(Change change, byte[] body, DestinationOptions destination, DateTimeOffset now) =>
        Headers(change.Id, body, destination, now);

    /// <summary>The signature headers of a POST that goes by <paramref name="id"/>.</summary>
    public static IReadOnlyList<(string Name, string Value)> Headers(string id, byte[] body, DestinationOptions destination, DateTimeOffset now)
    {
        var secret = destination.Secrets[0];
        if (IsStandardWebhooks(destination))
        {
            var key = DestinationsOptionsValidator.StandardWebhooksKey(secret) ?? throw new InvalidOperationException("not a standard-webhooks secret");
            var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
            return
            [
                ("webhook-id", id),
                ("webhook-timestamp", timestamp),
                ("webhook-signature", "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed))),
            ];
        }
        return
        [
            ("X-Webhook-Id", id),
            ("X-Webhook-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body))),
        ];
    }
}
