using System.Security.Cryptography;
using System.Text;
using Orleans.Webhooks.Grains.ChangeLog;
using Orleans.Webhooks.Grains.Destinations;
using Orleans.Webhooks.Grains.Interfaces.Configuration;

namespace Orleans.Webhooks.Grains.Tests.Destinations;

public sealed class PushMessageTests
{
    private static readonly Change Payment = new(42, "payment", "stripe", "pi_1", """{"id": "pi_1", "status": "completed"}""", "stripe:evt_1", "payment.completed", DateTimeOffset.UnixEpoch);

    [Fact]
    public void Body_IsIdTypeDataAndCause()
    {
        var body = Encoding.UTF8.GetString(PushMessage.Body(Payment));

        Assert.Equal("""{"id":"42","type":"payment.updated","data":{"id": "pi_1", "status": "completed"},"cause":{"event":"stripe:evt_1","type":"payment.completed"}}""", body);
    }

    [Fact]
    public void Hmac_SignsTheRawBodyWithTheFirstSecretInLowercaseHex()
    {
        var body = PushMessage.Body(Payment);
        var headers = PushMessage.Headers(Payment, body, new DestinationOptions { Secrets = ["current", "previous"] }, DateTimeOffset.UnixEpoch).ToDictionary();

        Assert.Equal("42", headers["X-Webhook-Id"]);
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData("current"u8.ToArray(), body)), headers["X-Webhook-Signature"]);
    }

    [Fact]
    public void StandardWebhooks_SignsIdTimestampAndBodyWithTheDecodedKey()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var body = PushMessage.Body(Payment);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var destination = new DestinationOptions { Format = DestinationOptions.StandardWebhooks, Secrets = ["whsec_" + Convert.ToBase64String(key)] };

        var headers = PushMessage.Headers(Payment, body, destination, now).ToDictionary();

        Assert.Equal(("42", "1800000000"), (headers["webhook-id"], headers["webhook-timestamp"]));
        var signed = Encoding.UTF8.GetBytes("42.1800000000.").Concat(body).ToArray();
        Assert.Equal("v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed)), headers["webhook-signature"]);
    }
}
