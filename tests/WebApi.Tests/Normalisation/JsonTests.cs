using Orleans.Webhooks.WebApi.Normalisation;
using Orleans.Webhooks.WebApi.Providers;
using static Orleans.Webhooks.WebApi.Tests.TestRequests;

namespace Orleans.Webhooks.WebApi.Tests.Normalisation;

public sealed class JsonTests
{
    private static byte[] WithInvalidUtf8InAString() =>
        [.. Utf8("""{"id":"evt_1","type":"payment.completed","data":{"id":"pay_"""), 0xC3, 0x28, .. Utf8("\"}}")];

    [Fact]
    public void ParseObject_InvalidUtf8InsideAString_ReturnsNull() =>
        Assert.Null(Json.ParseObject(WithInvalidUtf8InAString()));

    [Fact]
    public void ParseObject_ValidUtf8_ReturnsTheObject() =>
        Assert.Equal("évt", Json.ParseObject(Utf8("""{"id":"évt"}"""))!.Value.String("id"));

    [Fact]
    public void HmacNormaliser_InvalidUtf8_IsInvalid() =>
        Assert.NotNull(Normalise(new HmacEventNormaliser(), Create(new ProviderOptions(), WithInvalidUtf8InAString())).Error);
}
