namespace Orleans.Webhooks.Grains.ChangeLog;

/// <summary>
/// A change of a payment's, order's or customer's view, which <see cref="ChangeLogWriter"/> appends to the change log
/// (numbered in commit order) and to the current views, in the same statement as the grain state that caused it.
/// </summary>
public sealed record ViewChange(
    string Kind,
    string Provider,
    string ObjectId,
    string? Status,
    string ViewJson,
    DateTimeOffset UpdatedAt,
    string EventKey,
    string? EventType);
