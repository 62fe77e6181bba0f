namespace Orleans.Webhooks.Grains.Directory;

/// <summary>What the grains that live for one event or a few share: event, payment, order and customer grains.</summary>
internal static class ShortLivedGrain
{
    /// <summary>
    /// The idle limit after which Orleans collects such an activation: domain grains let themselves go sooner (a quiet
    /// period after their last event), this bounds the rest (event grains, views that were only read).
    /// </summary>
    public const string AgeLimit = "00:00:30";
}
