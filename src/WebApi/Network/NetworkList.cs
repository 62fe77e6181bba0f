using System.Net;

namespace Orleans.Webhooks.WebApi.Network;

/// <summary>
/// A configured list of networks: CIDR ranges (<c>192.0.2.0/24</c>, <c>2001:db8::/32</c>) or single addresses
/// (<c>10.0.0.5</c>, a /32 or /128).
/// </summary>
public static class NetworkList
{
    public static bool TryParse(string? entry, out IPNetwork network)
    {
        var text = entry?.Trim() ?? "";
        if (IPNetwork.TryParse(text, out network))
        {
            return true;
        }
        if (!text.Contains('/') && IPAddress.TryParse(text, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        return false;
    }

    /// <summary>The entries as networks; an entry that does not parse is left out (it stopped the process at start).</summary>
    public static IPNetwork[] Parse(IEnumerable<string> entries) =>
        [.. entries.Select(e => TryParse(e, out var network) ? (IPNetwork?)network : null).OfType<IPNetwork>()];

    /// <summary>One message per entry that is neither an address nor a CIDR range, naming the setting and the entry's index.</summary>
    public static IEnumerable<string> Problems(string key, IReadOnlyList<string> entries)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (!TryParse(entries[i], out _))
            {
                yield return $"{key}:{i}: '{entries[i]}' is neither an IP address nor a CIDR range (such as 192.0.2.0/24).";
            }
        }
    }

    /// <summary>True when <paramref name="address"/> is in one of the networks; an IPv4 address seen as IPv6 (::ffff:a.b.c.d) counts as IPv4.</summary>
    public static bool Contains(IReadOnlyList<IPNetwork> networks, IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var network in networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }
}
