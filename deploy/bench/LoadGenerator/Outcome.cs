namespace Orleans.Webhooks.LoadGenerator;

/// <summary>Status codes of our own in <see cref="RequestBlock.Status"/> besides the HTTP ones.</summary>
public static class Outcome
{
    public const short NotSent = 0;
    public const short Failed = -1;
    public const short Duplicate = 1200;
    public const short Accepted = 200;
}
