using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Orleans.Webhooks.WebApi.Normalisation;
using Orleans.Webhooks.WebApi.Providers;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Tests;

/// <summary>Builds deliveries as the endpoint hands them to verifiers and normalisers.</summary>
internal static class TestRequests
{
    public static WebhookRequest Create(
        ProviderOptions options,
        byte[] body,
        IReadOnlyDictionary<string, string>? headers = null,
        string? contentType = MediaTypes.Json,
        string? query = null,
        string provider = "test")
    {
        var headerDictionary = new HeaderDictionary();
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            headerDictionary[name] = value;
        }
        var queryCollection = query is null ? new QueryCollection() : new QueryCollection(QueryHelpers.ParseQuery(query));
        return new WebhookRequest(provider, options, headerDictionary, queryCollection, contentType, body);
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The same bytes with one character changed, as a tampering proxy would.</summary>
    public static byte[] Tampered(byte[] body)
    {
        var copy = (byte[])body.Clone();
        copy[copy.Length / 2] ^= 0x01;
        return copy;
    }

    public static NormaliseResult Normalise(IEventNormaliser normaliser, WebhookRequest request) =>
        normaliser.Normalise(request, new EventTypeMap(normaliser.DefaultEventTypes, new Dictionary<string, string>()));
}
