namespace Orleans.Webhooks.Grains.Retention;

/// <summary>What one retention run deleted.</summary>
public sealed record RetentionRun(long Events, long Changes, long Rejections)
{
    public long Total => Events + Changes + Rejections;
}
