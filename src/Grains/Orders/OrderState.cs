using Orleans.Webhooks.Grains.Domain;

namespace Orleans.Webhooks.Grains.Orders;

public sealed class OrderState : DomainState
{
    /// <summary>The newest order.created (providers may send it more than once with different event ids).</summary>
    public OrderFacts? Created { get; set; }

    /// <summary>The earliest event time of any order.created: when the order was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }
}

public sealed class OrderFacts : Stamped
{
    public decimal? Total { get; set; }
    public string? Currency { get; set; }
    public string? CustomerId { get; set; }
}
