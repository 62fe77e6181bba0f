using Orleans.Webhooks.Grains.Interfaces.Destinations;

namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>An attempt as destination_deliveries keeps it: what the API shows, and its <see cref="AttemptOutcome"/>.</summary>
internal sealed record RecordedAttempt(DeliveryAttempt Attempt, string Outcome);
