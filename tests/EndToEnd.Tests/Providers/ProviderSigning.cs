using System.Globalization;
using System.IO.Hashing;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Orleans.Webhooks.EndToEnd.Tests.Providers;

/// <summary>Deliveries signed and addressed the way each provider sends them.</summary>
public static class ProviderSigning
{
    private const string Json = "application/json";
    private const string Form = "application/x-www-form-urlencoded";

    /// <summary><c>Stripe-Signature: t=..,v1=..</c>: HMAC-SHA256 (hex) of <c>{t}.{body}</c>, keyed with the whole secret, whsec_ included.</summary>
    public static HttpRequestMessage Stripe(string body, string secret, string provider = "stripe", DateTimeOffset? signedAt = null)
    {
        var timestamp = (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
        var request = Post($"/webhook/{provider}", body, "application/json; charset=utf-8");
        request.Headers.Add("Stripe-Signature", $"t={timestamp},v1={signature}");
        request.Headers.UserAgent.ParseAdd("Stripe/1.0 (+https://stripe.com/docs/webhooks)");
        return request;
    }

    /// <summary><c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c> over the raw body, JSON or a <c>payload=</c> form.</summary>
    public static HttpRequestMessage GitHub(string body, string secret, string gitHubEvent, string deliveryId, string contentType = Json)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = Post("/webhook/github", body, contentType);
        request.Headers.Add("X-GitHub-Event", gitHubEvent);
        request.Headers.Add("X-GitHub-Delivery", deliveryId);
        request.Headers.Add("X-GitHub-Hook-ID", "292430182");
        request.Headers.Add("X-GitHub-Hook-Installation-Target-Type", "repository");
        request.Headers.Add("X-GitHub-Hook-Installation-Target-ID", "79929171");
        request.Headers.Add("X-Hub-Signature", "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), bytes)));
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), bytes)));
        request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/044aadd");
        return request;
    }

    /// <summary>A form body <c>payload=&lt;url-encoded JSON&gt;</c>, as GitHub sends with content type application/x-www-form-urlencoded.</summary>
    public static string GitHubForm(string json) => "payload=" + Uri.EscapeDataString(json);

    /// <summary><c>X-Shopify-Hmac-Sha256: &lt;base64&gt;</c> over the raw body; the id and topic travel in headers.</summary>
    public static HttpRequestMessage Shopify(string body, string secret, string topic, string webhookId)
    {
        var request = Post("/webhook/shopify", body, Json);
        request.Headers.Add("X-Shopify-Topic", topic);
        request.Headers.Add("X-Shopify-Hmac-Sha256", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body))));
        request.Headers.Add("X-Shopify-Shop-Domain", "e2e-store.myshopify.com");
        request.Headers.Add("X-Shopify-API-Version", "2025-01");
        request.Headers.Add("X-Shopify-Webhook-Id", webhookId);
        request.Headers.Add("X-Shopify-Event-Id", Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Triggered-At", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        return request;
    }

    /// <summary>
    /// <c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature: v1,&lt;base64&gt;</c>: HMAC-SHA256 of
    /// <c>{id}.{timestamp}.{body}</c> keyed with the base64-decoded part of the whsec_ secret. <paramref name="headerPrefix"/>
    /// "svix" sends the same headers under Svix's names.
    /// </summary>
    public static HttpRequestMessage StandardWebhooks(string body, string secret, string messageId, string headerPrefix = "webhook")
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}")));
        var request = Post("/webhook/standard-webhooks", body, Json);
        request.Headers.Add($"{headerPrefix}-id", messageId);
        request.Headers.Add($"{headerPrefix}-timestamp", timestamp);
        request.Headers.Add($"{headerPrefix}-signature", $"v1,{signature}");
        return request;
    }

    /// <summary>
    /// PayPal's transmission headers: an RSA (PKCS#1 v1.5, SHA-256) signature over
    /// <c>{transmission id}|{transmission time}|{webhook id}|{crc32 of the body, unsigned decimal}</c>.
    /// </summary>
    public static HttpRequestMessage PayPal(string body, RSA key, string webhookId = ProviderFixture.PayPalWebhookId, string provider = "paypal")
    {
        var transmissionId = Guid.NewGuid().ToString();
        var transmissionTime = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var crc = Crc32.HashToUInt32(Encoding.UTF8.GetBytes(body)).ToString(CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes($"{transmissionId}|{transmissionTime}|{webhookId}|{crc}");
        var request = Post($"/webhook/{provider}", body, Json);
        request.Headers.Add("PAYPAL-TRANSMISSION-ID", transmissionId);
        request.Headers.Add("PAYPAL-TRANSMISSION-TIME", transmissionTime);
        request.Headers.Add("PAYPAL-TRANSMISSION-SIG", Convert.ToBase64String(key.SignData(signed, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
        request.Headers.Add("PAYPAL-AUTH-ALGO", "SHA256withRSA");
        request.Headers.Add("PAYPAL-CERT-URL", "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-7a8abba8");
        request.Headers.UserAgent.ParseAdd("PayPal/AUHD-214.0-58427993");
        return request;
    }

    /// <summary>Mailchimp signs nothing: the secret is in the URL it was given, the body a form.</summary>
    public static HttpRequestMessage Mailchimp(string form, string secret)
    {
        var request = Post($"/webhook/mailchimp?secret={Uri.EscapeDataString(secret)}", form, Form);
        request.Headers.UserAgent.ParseAdd("MailChimp");
        return request;
    }

    /// <summary>A form body from fields in order, keys and values URL-encoded (Mailchimp's PHP-style keys included).</summary>
    public static string FormBody(params (string Key, string Value)[] fields) =>
        string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));

    /// <summary>Mailchimp's event id: it sends none, so the receiver uses the SHA-256 of the raw body.</summary>
    public static string BodyHash(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));

    private static HttpRequestMessage Post(string path, string body, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return request;
    }
}
