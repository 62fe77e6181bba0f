using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Network;

/// <summary>
/// The client address every check uses (allow-lists, the per-client rate limit, the audit, loopback-only access):
/// the connection's address, or, when the connection comes from one of <c>Webhooks:TrustedProxies</c>, the address
/// ASP.NET's forwarded-headers middleware takes from <c>X-Forwarded-For</c>, hop by hop while the hops are trusted.
/// </summary>
public static class TrustedProxyExtensions
{
    public static IHostApplicationBuilder AddTrustedProxies(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<WebhooksOptions>>((forwarded, webhooks) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            // Walk back through every trusted hop; the first address that is not a trusted proxy is the client.
            forwarded.ForwardLimit = null;
            // ASP.NET trusts loopback by default; here only what the operator lists is trusted.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var network in NetworkList.Parse(webhooks.Value.TrustedProxies))
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        });
        return builder;
    }

    /// <summary>
    /// Runs the middleware only when proxies are configured: with empty lists it would trust a forwarded address from
    /// anyone. Without it, forwarded headers stay in place, so such a request is not a loopback caller's either.
    /// </summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<WebhooksOptions>>().Value.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }
        return app;
    }
}
