using Orleans.Webhooks.Grains.Domain;

namespace Orleans.Webhooks.Grains.Customers;

/// <summary>Each field keeps the newest value any event gave it: an older update arriving late changes nothing.</summary>
public sealed class CustomerState : DomainState
{
    public StampedValue? Email { get; set; }
    public StampedValue? Name { get; set; }
}

public sealed class StampedValue
{
    public string Value { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string EventKey { get; set; } = "";

    [System.Text.Json.Serialization.JsonIgnore]
    public Stamp Stamp => new(At, EventKey);
}
