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
        incoming = Storable(incoming);
        if (!_known && await StoreAsync(() => store.InsertAsync(incoming), incoming))
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
        await StoreAsync(async () =>
        {
            await store.CountDuplicateAsync(incoming.Provider, incoming.ExternalId);
            return true;
        }, incoming);
        LogDuplicate(logger, incoming.Provider, incoming.ExternalId);
        return AcceptOutcome.Duplicate;
    }

    public async Task<bool> ReplayAsync(string? type)
    {
        var (provider, externalId) = EventKey.Parse(this.GetPrimaryKeyString());
        WebhookEvent? reopened;
        try
        {
            reopened = await store.ReopenAsync(provider, externalId, type);
        }
        catch (Exception ex)
        {
            LogNotStored(logger, ex, provider, externalId);
            throw new StorageUnavailableException("The event could not be reopened; retry later.");
        }
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

    /// <summary>
    /// A write of the event table, whose failure reaches the web API as one of our exceptions (the driver's have no codec
    /// across the Orleans boundary): the event alone cannot be stored (422), or storage is unavailable (503).
    /// </summary>
    private async Task<bool> StoreAsync(Func<Task<bool>> write, IncomingEvent incoming)
    {
        try
        {
            return await write();
        }
        catch (Exception ex) when (StorageFailures.IsUnstorable(ex))
        {
            LogUnstorable(logger, ex, incoming.Provider, incoming.ExternalId);
            throw new UnstorableEventException("This delivery cannot be stored. " + StorageFailures.Reason(ex));
        }
        catch (Exception ex)
        {
            LogNotStored(logger, ex, incoming.Provider, incoming.ExternalId);
            throw new StorageUnavailableException("The event could not be stored durably; retry later.");
        }
    }

    /// <summary>
    /// The event with the ids in its details storable (<see cref="StoredText"/>) before it is stored and published: they
    /// become grain keys and the keys of views, which are PostgreSQL text. Every other derived text is made storable
    /// where it is written (the event store, the grain storage); the raw payload and the external id stay as they are.
    /// </summary>
    private static IncomingEvent Storable(IncomingEvent incoming)
    {
        var details = incoming.Details;
        var (objectId, paymentId, orderId, customerId) = (StoredText.CleanOrNull(details.ObjectId), StoredText.CleanOrNull(details.PaymentId),
            StoredText.CleanOrNull(details.OrderId), StoredText.CleanOrNull(details.CustomerId));
        return ReferenceEquals(objectId, details.ObjectId) && ReferenceEquals(paymentId, details.PaymentId)
            && ReferenceEquals(orderId, details.OrderId) && ReferenceEquals(customerId, details.CustomerId)
            ? incoming
            : incoming with { Details = details with { ObjectId = objectId, PaymentId = paymentId, OrderId = orderId, CustomerId = customerId } };
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Accepted {Provider} event {ExternalId} of type {Type}")]
    private static partial void LogAccepted(ILogger logger, string provider, string externalId, string? type);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Duplicate delivery of {Provider} event {ExternalId}")]
    private static partial void LogDuplicate(ILogger logger, string provider, string externalId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Replaying {Provider} event {ExternalId} as {Type}")]
    private static partial void LogReplay(ILogger logger, string provider, string externalId, string? type);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Could not publish {Provider} event {ExternalId}; the recovery sweep will process it")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string provider, string externalId);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "{Provider} event {ExternalId} cannot be stored; refused")]
    private static partial void LogUnstorable(ILogger logger, Exception exception, string provider, string externalId);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Error, Message = "Could not store or reopen {Provider} event {ExternalId}: storage unavailable")]
    private static partial void LogNotStored(ILogger logger, Exception exception, string provider, string externalId);
}
