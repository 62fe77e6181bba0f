namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

[GenerateSerializer, Alias("webhooks.AcceptOutcome")]
public enum AcceptOutcome
{
    Accepted = 0,
    Duplicate = 1,
}
