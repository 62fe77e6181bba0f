using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Orleans.Webhooks.EndToEnd.Tests.Infrastructure;

/// <summary>Deliveries signed the way a provider signs them.</summary>
public static class Signing
{
    public static HttpRequestMessage Hmac(string body, string secret = Service.HmacSecret, string provider = "hmac", string contentType = "application/json")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhook/{provider}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Webhook-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), bytes)));
        return request;
    }

    /// <summary>The hmac seed format of the contract.</summary>
    public static string SeedEvent(string id, string type, string objectId, long amount = 1234, string currency = "usd", string? payment = null, string customer = "cus_1")
    {
        var data = new Dictionary<string, object> { ["id"] = objectId, ["amount"] = amount, ["currency"] = currency, ["customer"] = customer };
        if (payment is not null)
        {
            data["payment"] = payment;
        }
        return System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["id"] = id, ["type"] = type, ["data"] = data });
    }
}
