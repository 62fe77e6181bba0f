using System.Net;
using Orleans.Webhooks.WebApi.Network;

namespace Orleans.Webhooks.WebApi.Tests.Network;

public sealed class NetworkListTests
{
    [Theory]
    [InlineData("192.0.2.0/24", "192.0.2.200", true)]
    [InlineData("192.0.2.0/24", "192.0.3.1", false)]
    [InlineData("10.0.0.1/24", "10.0.0.77", true)]
    [InlineData("10.0.0.5", "10.0.0.5", true)]
    [InlineData("10.0.0.5", "10.0.0.6", false)]
    [InlineData("192.0.2.0/24", "::ffff:192.0.2.9", true)]
    [InlineData("2001:db8::/32", "2001:db8:1::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    public void Contains_AddressesAndRanges(string entry, string address, bool expected) =>
        Assert.Equal(expected, NetworkList.Contains(NetworkList.Parse([entry]), IPAddress.Parse(address)));

    [Theory]
    [InlineData("not-a-network")]
    [InlineData("10.0.0.0/33")]
    [InlineData("")]
    public void Problems_NameTheSettingAndIndex(string entry) =>
        Assert.Equal(["Webhooks:TrustedProxies:1"], NetworkList.Problems("Webhooks:TrustedProxies", ["10.0.0.1", entry]).Select(p => p[..p.IndexOf(": ", StringComparison.Ordinal)]));
}
