namespace Orleans.Webhooks.Grains.Domain;

public static class StorageNames
{
    /// <summary>The group-commit grain storage on PostgreSQL that holds payments, orders and customers.</summary>
    public const string Domain = "domain";
}

/// <summary>The kinds of business object: each one's state name, and the kind its changes carry.</summary>
public static class DomainKinds
{
    public const string Payment = "payment";
    public const string Order = "order";
    public const string Customer = "customer";
}
