namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>Waits between attempts of a failing change: doubling from the first, capped, each drawn between half and all of it.</summary>
internal static class Backoff
{
    /// <summary>The wait after the <paramref name="failures"/>-th failed attempt (1 for the first).</summary>
    public static TimeSpan After(int failures, TimeSpan initial, TimeSpan max, double random)
    {
        var doubled = initial.Ticks * Math.Pow(2, Math.Clamp(failures - 1, 0, 40));
        var capped = Math.Min(doubled, max.Ticks);
        // Jitter: receivers coming back from an outage are not hit by every waiting object at once.
        return TimeSpan.FromTicks((long)(capped * (0.5 + random / 2)));
    }
}
