namespace Orleans.Webhooks.Grains.Processing;

/// <summary>A failure that retrying cannot fix (the payload lacks what the handler needs): the event fails at once.</summary>
public sealed class PermanentProcessingException(string message) : Exception(message);
