namespace Orleans.Webhooks.EndToEnd.Tests.Fuzz;

/// <summary>One generated delivery: the provider it goes to, its raw body, and its request, signed when it is made.</summary>
public sealed record FuzzDelivery(int Index, string Provider, byte[] Body, Func<HttpRequestMessage> Request);
