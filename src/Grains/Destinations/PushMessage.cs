using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Orleans.Webhooks.Grains.Interfaces.Destinations;

namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// A change as a destination receives it (contract, section 6): the same body in both formats,
/// <c>{"id","type","data","cause"}</c>, signed with the destination's first secret.
/// </summary>
internal static class PushMessage
{
    public static byte[] Body(Change change)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
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
        return buffer.ToArray();
    }

    /// <summary>The signature headers for <paramref name="body"/>; <paramref name="now"/> is the standard-webhooks timestamp.</summary>
    public static IReadOnlyList<(string Name, string Value)> Headers(Change change, byte[] body, DestinationOptions destination, DateTimeOffset now)
    {
        var secret = destination.Secrets[0];
        if (string.Equals(destination.Format, DestinationOptions.StandardWebhooks, StringComparison.OrdinalIgnoreCase))
        {
            var key = DestinationsOptionsValidator.StandardWebhooksKey(secret) ?? throw new InvalidOperationException("not a standard-webhooks secret");
            var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            var signed = Encoding.UTF8.GetBytes($"{change.Id}.{timestamp}.").Concat(body).ToArray();
            return
            [
                ("webhook-id", change.Id),
                ("webhook-timestamp", timestamp),
                ("webhook-signature", "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed))),
            ];
        }
        return
        [
            ("X-Webhook-Id", change.Id),
            ("X-Webhook-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body))),
        ];
    }
}
