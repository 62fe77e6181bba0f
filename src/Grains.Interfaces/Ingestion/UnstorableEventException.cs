namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>
/// This delivery, and only this one, cannot be stored (PostgreSQL refused its data when written alone): retrying it can
/// never succeed. The web API answers 422 with the reason and records the refusal in the audit. The message says why in
/// words safe to show the sender; it carries no driver exception across the Orleans boundary.
/// </summary>
[GenerateSerializer, Alias("webhooks.UnstorableEventException")]
public sealed class UnstorableEventException : Exception
{
    public UnstorableEventException()
    {
    }

    public UnstorableEventException(string message) : base(message)
    {
    }
}
