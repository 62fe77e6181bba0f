namespace Orleans.Webhooks.WebApi.Ingestion;

/// <summary>The 200 of a delivery: <c>{"status":"accepted"|"duplicate","id":"&lt;provider&gt;:&lt;externalId&gt;"}</c>.</summary>
public sealed record AcceptResponse(string Status, string Id)
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
}
