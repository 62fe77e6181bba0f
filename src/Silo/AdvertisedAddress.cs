using System.Net;
using System.Net.Sockets;
using Orleans.Webhooks.Grains.Interfaces.Configuration;

namespace Orleans.Webhooks.Silo;

/// <summary>The silo's side of <see cref="OrleansOptions"/>: the web API, an Orleans client, reads the same section but never resolves an address.</summary>
public static class AdvertisedAddress
{
    private const string Key = $"{OrleansOptions.SectionName}:{nameof(OrleansOptions.AdvertisedIPAddress)}";

    /// <summary>
    /// What is wrong with the setting's form (neither an IP address nor a host name), or null. Only the form is a
    /// setting's problem: a name that does not resolve may resolve a moment later (DNS at boot), so it fails the start
    /// like any other outage, and the service manager starts the silo again.
    /// </summary>
    public static string? Problem(OrleansOptions options)
    {
        var value = options.AdvertisedIPAddress?.Trim() ?? "";
        return IPAddress.TryParse(value, out _) || Uri.CheckHostName(value) == UriHostNameType.Dns
            ? null
            : $"{Key}: '{value}' is neither an IP address nor a host name.";
    }

    /// <summary>
    /// <see cref="OrleansOptions.AdvertisedIPAddress"/> as an address: an IP address as it is, a host name resolved (its first IPv4
    /// address, else its first address). Anything else stops the silo with a message that names the setting.
    /// </summary>
    public static IPAddress ResolveAdvertisedAddress(this OrleansOptions options)
    {
        if (Problem(options) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        var value = options.AdvertisedIPAddress.Trim();
        if (IPAddress.TryParse(value, out var address))
        {
            return address;
        }
        IPAddress[] resolved;
        try
        {
            resolved = Dns.GetHostAddresses(value);
        }
        catch (SocketException ex)
        {
            throw new InvalidOperationException($"{Key} '{value}' does not resolve: {ex.Message}", ex);
        }
        return resolved.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? resolved.FirstOrDefault()
            ?? throw new InvalidOperationException($"{Key} '{value}' resolves to no address.");
    }
}
