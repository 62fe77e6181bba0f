namespace Orleans.Webhooks.Grains.Interfaces.Routing;

/// <summary>Routes the events of one stream partition (keyed by the partition number) to payment, order and customer grains.</summary>
public interface IRouterGrain : IGrainWithStringKey;
