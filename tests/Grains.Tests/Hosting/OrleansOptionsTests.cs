using System.Net;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Silo;

namespace Orleans.Webhooks.Grains.Tests.Hosting;

public sealed class OrleansOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.20.30.40")]
    [InlineData(" 192.168.1.5 ")]
    [InlineData("fd00::5")]
    public void AdvertisedAddress_AnIpAddress_TakenAsItIs(string value) =>
        Assert.Equal(IPAddress.Parse(value.Trim()), new OrleansOptions { AdvertisedIPAddress = value }.ResolveAdvertisedAddress());

    [Fact]
    public void AdvertisedAddress_AHostName_Resolved() =>
        Assert.True(IPAddress.IsLoopback(new OrleansOptions { AdvertisedIPAddress = "localhost" }.ResolveAdvertisedAddress()));

    [Theory]
    [InlineData("")]
    [InlineData("not a host")]
    [InlineData("http://10.0.0.1/")]
    public void AdvertisedAddress_NeitherAddressNorHostName_StopsWithTheSettingsName(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new OrleansOptions { AdvertisedIPAddress = value }.ResolveAdvertisedAddress());
        Assert.Contains("Orleans:AdvertisedIPAddress", error.Message, StringComparison.Ordinal);
    }
}
