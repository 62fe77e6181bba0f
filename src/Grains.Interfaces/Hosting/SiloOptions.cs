namespace Orleans.Webhooks.Grains.Interfaces.Hosting;

/// <summary>The "Orleans" configuration section: cluster identity and this node's endpoints.</summary>
public sealed class SiloOptions
{
    public const string SectionName = "Orleans";

    public string ClusterId { get; set; } = "webhooks";

    public string ServiceId { get; set; } = "webhooks";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients use to reach this one; loopback for a single machine.</summary>
    public string AdvertisedIPAddress { get; set; } = "127.0.0.1";
}
