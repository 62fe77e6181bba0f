using Microsoft.AspNetCore.Http;
using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Signatures;

/// <summary>One delivery as verifiers and normalisers see it: the raw body bytes, exactly as received, and the headers.</summary>
public sealed record WebhookRequest(
    string Provider,
    ProviderOptions Options,
    IHeaderDictionary Headers,
    IQueryCollection Query,
    string? ContentType,
    ReadOnlyMemory<byte> Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
