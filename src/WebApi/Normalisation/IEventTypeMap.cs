namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>Maps a provider's event type to an internal type; null when unmapped (the event is stored as 'ignored').</summary>
public interface IEventTypeMap
{
    string? Map(string? providerType);
}
