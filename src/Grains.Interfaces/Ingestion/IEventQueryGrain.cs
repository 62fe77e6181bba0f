namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>Reads of stored events, served by any silo.</summary>
public interface IEventQueryGrain : IGrainWithIntegerKey
{
    Task<EventView?> GetAsync(string provider, string externalId);

    Task<IReadOnlyList<EventView>> ListAsync(string? state, string? provider, int limit);

    /// <summary>Answers when this silo reaches PostgreSQL; throws otherwise.</summary>
    Task PingAsync();
}
