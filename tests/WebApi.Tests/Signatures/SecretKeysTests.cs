using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Webhooks.WebApi.Providers;
using Orleans.Webhooks.WebApi.Signatures;
using Orleans.Webhooks.WebApi.Tests.Edge;

namespace Orleans.Webhooks.WebApi.Tests.Signatures;

/// <summary>Secret bytes are prepared once per options instance, and follow a rotation (a reload, or a list changed in place).</summary>
public sealed class SecretKeysTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"evt_1","type":"payment.completed"}""");

    private static SignatureResult Verify(ProviderOptions options, string signingSecret)
    {
        var headers = new HeaderDictionary { [options.Header] = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), Body)) };
        return HmacSignatureVerifier.Verify(new WebhookRequest("hmac", options, headers, new QueryCollection(), "application/json", Body));
    }

    [Fact]
    public void SecretKeys_SameOptionsTwice_PreparedOnce()
    {
        var options = new ProviderOptions { Secrets = ["s1", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"] };

        var first = SecretKeys.Of(options);

        Assert.Same(first, SecretKeys.Of(options));
        Assert.Equal([Encoding.UTF8.GetBytes("s1"), Encoding.UTF8.GetBytes("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")], first.Utf8);
        Assert.Equal([SHA256.HashData(Encoding.UTF8.GetBytes("s1")), SHA256.HashData(Encoding.UTF8.GetBytes("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))], first.Sha256);
        Assert.Equal([Convert.FromBase64String("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")], first.StandardWebhooks);
    }

    [Fact]
    public void HmacSignature_SecretReplacedInPlaceAfterUse_NewSecretVerifies_OldNoLonger()
    {
        var options = new ProviderOptions { Secrets = ["old"] };
        Assert.Equal(SignatureResult.Valid, Verify(options, "old"));

        options.Secrets[0] = "new";

        Assert.Equal(SignatureResult.Valid, Verify(options, "new"));
        Assert.Equal(SignatureResult.Mismatch, Verify(options, "old"));
    }

    [Fact]
    public async Task Delivery_SecretRotatedByAConfigurationReload_NewSecretAccepted_OldOne401()
    {
        await using var factory = new EdgeFactory();
        using var http = factory.CreateClient();
        using (var before = await http.SendAsync(EdgeFactory.Delivery("""{"id":"evt_rotate_0","type":"payment.completed","data":{"id":"pay_1"}}""")))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var configuration = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();
        configuration["Webhooks:Providers:hmac:Secrets:0"] = "rotated-secret";
        configuration.Reload();

        const string body = """{"id":"evt_rotate_1","type":"payment.completed","data":{"id":"pay_1"}}""";
        using var old = await http.SendAsync(EdgeFactory.Delivery(body));
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("rotated-secret"), Encoding.UTF8.GetBytes(body)));
        using var rotated = await http.SendAsync(EdgeFactory.Delivery(body, signature: signature));
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
    }
}
