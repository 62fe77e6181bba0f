using Microsoft.Extensions.Logging;
using Orleans.Webhooks.Grains.Directory;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Routing;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.Ingestion;

/// <summary>
/// One activation per provider event. It does not read anything on activation: the insert itself tells a new event
/// from a duplicate (the table's unique key decides, even across two activations). Once the event is stored and
/// handed to the publisher (which batches it onto the stream), the activation is let go: everything needed later is
/// in PostgreSQL. Deliveries queued behind the first one move to a fresh activation, which learns from its first insert
/// that the event exists and then counts the rest as duplicates without touching the unique key again; it lives only
/// briefly (retries come in bursts).
/// </summary>
[CollectionAgeLimit(ShortLivedGrain.AgeLimit)]
[Orleans.Placement.PreferLocalPlacement]
[Orleans.GrainDirectory.GrainDirectory(SiloLocalGrainDirectory.Name)]
internal sealed partial class EventGrain(
    IEventStore store,
    EventPublisher publisher,
    ILogger<EventGrain> logger) : Grain, IEventGrain
{
    private bool _known;

    public async Task<AcceptOutcome> AcceptAsync(IncomingEvent incoming)
    {
        if (!_known && await store.InsertAsync(incoming))
        {
            _known = true;
            DeactivateOnIdle();
            LogAccepted(logger, incoming.Provider, incoming.ExternalId, incoming.Type);
            publisher.Post(new WebhookEvent
            {
                Provider = incoming.Provider,
                ExternalId = incoming.ExternalId,
                Type = incoming.Type,
                Details = incoming.Details,
                ReceivedAt = incoming.ReceivedAt,
            });
            return AcceptOutcome.Accepted;
        }

        _known = true;
        await store.CountDuplicateAsync(incoming.Provider, incoming.ExternalId);
        LogDuplicate(logger, incoming.Provider, incoming.ExternalId);
        return AcceptOutcome.Duplicate;
    }

    public async Task<bool> ReplayAsync(string? type)
    {
        var (provider, externalId) = EventKey.Parse(this.GetPrimaryKeyString());
        var reopened = await store.ReopenAsync(provider, externalId, type);
        if (reopened is null)
        {
            return false;
        }
        LogReplay(logger, provider, externalId, reopened.Type);
        try
        {
            await publisher.PublishAsync(reopened);
        }
        catch (Exception ex)
        {
            LogPublishFailed(logger, ex, provider, externalId);
        }
        return true;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Accepted {Provider} event {ExternalId} of type {Type}")]
    private static partial void LogAccepted(ILogger logger, string provider, string externalId, string? type);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Duplicate delivery of {Provider} event {ExternalId}")]
    private static partial void LogDuplicate(ILogger logger, string provider, string externalId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Replaying {Provider} event {ExternalId} as {Type}")]
    private static partial void LogReplay(ILogger logger, string provider, string externalId, string? type);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Could not publish {Provider} event {ExternalId}; the recovery sweep will process it")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string provider, string externalId);
}
