using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>A provider's payload reduced to what we need: its idempotency key, its types and the object it concerns.</summary>
public sealed record NormalisedEvent(string ExternalId, string? ProviderType, string? Type, EventDetails Details);
