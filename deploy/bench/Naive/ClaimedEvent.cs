namespace Orleans.Webhooks.Naive;

/// <summary>A pending queue row the poller has claimed, with the fields it applies.</summary>
public sealed record ClaimedEvent(long Seq, string EventId, string Type, string? PaymentId, decimal? Amount, string? Currency, string? CustomerId);
