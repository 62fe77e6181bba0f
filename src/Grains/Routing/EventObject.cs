namespace Orleans.Webhooks.Grains.Routing;

/// <summary>A payment, order or customer an event names: <c>{"kind","provider","id"}</c> as the event's <c>objects</c> list it.</summary>
public sealed record EventObject(string Kind, string Provider, string Id);
