namespace Orleans.Webhooks.Naive;

/// <summary>A verified delivery, with the fields the payments table needs read out at the door.</summary>
public sealed record QueuedEvent(string EventId, string Type, string? PaymentId, decimal? Amount, string? Currency, string? CustomerId, byte[] Payload);
