using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;

namespace Orleans.Webhooks.Grains.Interfaces.Hosting;

/// <summary>The "Orleans" configuration section: cluster identity and this node's endpoints.</summary>
public sealed class SiloOptions
{
    public const string SectionName = "Orleans";

    [Required]
    public string ClusterId { get; set; } = "webhooks";

    [Required]
    public string ServiceId { get; set; } = "webhooks";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients use to reach this one; loopback for a single machine.</summary>
    public string AdvertisedIPAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// <see cref="AdvertisedIPAddress"/> as an address: an IP address as it is, a host name resolved (its first IPv4
    /// address, else its first address). Anything else stops the silo with a message that names the setting.
    /// </summary>
    public IPAddress ResolveAdvertisedAddress()
    {
        var value = AdvertisedIPAddress?.Trim() ?? "";
        if (IPAddress.TryParse(value, out var address))
        {
            return address;
        }
        if (Uri.CheckHostName(value) != UriHostNameType.Dns)
        {
            throw new InvalidOperationException($"{SectionName}:AdvertisedIPAddress '{value}' is neither an IP address nor a host name.");
        }
        IPAddress[] resolved;
        try
        {
            resolved = Dns.GetHostAddresses(value);
        }
        catch (SocketException ex)
        {
            throw new InvalidOperationException($"{SectionName}:AdvertisedIPAddress '{value}' does not resolve: {ex.Message}", ex);
        }
        return resolved.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? resolved.FirstOrDefault()
            ?? throw new InvalidOperationException($"{SectionName}:AdvertisedIPAddress '{value}' resolves to no address.");
    }
}
