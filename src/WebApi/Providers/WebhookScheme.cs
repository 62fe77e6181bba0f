using Orleans.Webhooks.WebApi.Normalisation;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Providers;

/// <summary>A registered scheme: how its deliveries are verified and read, and its default body size limit.</summary>
public sealed record WebhookScheme(string Name, ISignatureVerifier Verifier, IEventNormaliser Normaliser, long DefaultMaxBodyBytes);
