using System.Text;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Tests;

/// <summary>Builds events as the web API hands them to event grains.</summary>
public static class Events
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    public static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    public static IncomingEvent Incoming(string externalId, string? type, EventDetails details, string provider = "test") => new()
    {
        Provider = provider,
        ExternalId = externalId,
        ProviderType = type,
        Type = type,
        Payload = Encoding.UTF8.GetBytes($"{{\"id\":\"{externalId}\"}}"),
        ContentType = "application/json",
        ReceivedAt = DateTimeOffset.UtcNow,
        Details = details,
    };

    public static WebhookEvent Stored(string externalId, string type, EventDetails details, string provider = "test", DateTimeOffset? receivedAt = null) => new()
    {
        Provider = provider,
        ExternalId = externalId,
        Type = type,
        Details = details,
        ReceivedAt = receivedAt ?? DateTimeOffset.UtcNow,
    };
}
