namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>What a POST got: a 2xx status is a delivery; anything else has an <see cref="Error"/>.</summary>
internal readonly record struct SendResult(int? Status, int DurationMs, string? Error)
{
    public bool Delivered => Error is null;
}
