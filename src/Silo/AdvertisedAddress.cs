using System.Net;
using System.Net.Sockets;
using Orleans.Webhooks.Grains.Interfaces.Hosting;

namespace Orleans.Webhooks.Silo;

/// <summary>The silo's side of <see cref="SiloOptions"/>: the web API, an Orleans client, reads the same section but never resolves an address.</summary>
public static class AdvertisedAddress
{
    /// <summary>
    /// <see cref="SiloOptions.AdvertisedIPAddress"/> as an address: an IP address as it is, a host name resolved (its first IPv4
    /// address, else its first address). Anything else stops the silo with a message that names the setting.
    /// </summary>
    public static IPAddress ResolveAdvertisedAddress(this SiloOptions options)
    {
        var value = options.AdvertisedIPAddress?.Trim() ?? "";
        if (IPAddress.TryParse(value, out var address))
        {
            return address;
        }
        if (Uri.CheckHostName(value) != UriHostNameType.Dns)
        {
            throw new InvalidOperationException($"{SiloOptions.SectionName}:AdvertisedIPAddress '{value}' is neither an IP address nor a host name.");
        }
        IPAddress[] resolved;
        try
        {
            resolved = Dns.GetHostAddresses(value);
        }
        catch (SocketException ex)
        {
            throw new InvalidOperationException($"{SiloOptions.SectionName}:AdvertisedIPAddress '{value}' does not resolve: {ex.Message}", ex);
        }
        return resolved.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? resolved.FirstOrDefault()
            ?? throw new InvalidOperationException($"{SiloOptions.SectionName}:AdvertisedIPAddress '{value}' resolves to no address.");
    }
}
