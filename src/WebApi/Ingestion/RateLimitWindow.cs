namespace Orleans.Webhooks.WebApi.Ingestion;

/// <summary>The period in which a rate limit's bucket refills to its permits (<see cref="WebhookRateLimits.DefaultWindow"/>, one second).</summary>
public sealed record RateLimitWindow(TimeSpan Period);
