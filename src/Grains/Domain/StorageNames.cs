namespace Orleans.Webhooks.Grains.Domain;

public static class StorageNames
{
    /// <summary>The group-commit grain storage on PostgreSQL that holds payments, orders and customers.</summary>
    public const string Domain = "domain";
}
