namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>A destination's row of destination_state; <see cref="Version"/> rises with every write.</summary>
internal sealed record DestinationRow(long Cursor, bool Paused, string? LastError, DateTimeOffset? FailingSince, long Version);
