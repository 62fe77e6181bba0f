namespace Orleans.Webhooks.WebApi.Rejections;

/// <summary>
/// One refused delivery as the audit keeps it: never a secret, a signature value or the body, only the body's SHA-256
/// (when it was read) and the names of the signature headers that were present.
/// </summary>
public sealed record Rejection(
    string Provider,
    string Reason,
    int Status,
    string? ClientAddress,
    DateTimeOffset At,
    long? Size,
    byte[]? BodySha256,
    IReadOnlyList<string> SignatureHeaders);
