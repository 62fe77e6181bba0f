using System.ComponentModel.DataAnnotations;

namespace Orleans.Webhooks.Grains.Interfaces.Configuration;

/// <summary>The "Orleans" configuration section: cluster identity and this node's endpoints.</summary>
public sealed class OrleansOptions
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

    /// <summary>
    /// The address other silos and clients use to reach this one (an IP address or a host name); loopback for a single
    /// machine. Only a silo resolves it (<c>AdvertisedAddress</c> in the silo).
    /// </summary>
    public string AdvertisedIPAddress { get; set; } = "127.0.0.1";
}
