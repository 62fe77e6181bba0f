namespace Orleans.Webhooks.Grains.Retention;

/// <summary>What one retention run deleted.</summary>
public sealed record RetentionRun(long Events, long Rejections)
{
    public long Total => Events + Rejections;
}
