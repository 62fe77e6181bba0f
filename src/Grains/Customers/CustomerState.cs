using Orleans.Webhooks.Grains.Domain;

namespace Orleans.Webhooks.Grains.Customers;

/// <summary>Each field keeps the newest value any event gave it: an older update arriving late changes nothing.</summary>
public sealed class CustomerState : DomainState
{
    public StampedValue? Email { get; set; }
    public StampedValue? Name { get; set; }
}

public sealed class StampedValue : Stamped
{
    public string Value { get; set; } = "";
}
