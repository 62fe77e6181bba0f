namespace Orleans.Webhooks.Grains.Interfaces.Domain;

/// <summary>
/// The kinds of business object that events change. One set of names for everything that says which kind: a change
/// and a current view, an event's <c>objects</c>, a destination's <c>Kinds</c>, the lists of the management API, and
/// each domain grain's state name.
/// </summary>
public static class DomainKinds
{
    public const string Payment = "payment";
    public const string Order = "order";
    public const string Customer = "customer";

    public static readonly IReadOnlyList<string> All = [Payment, Order, Customer];
}
