using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.WebApi.Providers;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Management;

/// <summary>With <c>Webhooks:ManagementApiKey</c> set, callers must send it in <c>X-Api-Key</c>; without it, only loopback callers get in.</summary>
public sealed class ManagementAccessFilter(IOptionsMonitor<WebhooksOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    private static readonly string[] ForwardingHeaders = ["Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP"];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Refusal(context.HttpContext, options.CurrentValue.ManagementApiKey) ?? await next(context);

    /// <summary>The answer for a caller the management API refuses (401 or 403), or null for one it serves. /metrics applies the same rule.</summary>
    public static IResult? Refusal(HttpContext http, string? key)
    {
        if (!string.IsNullOrEmpty(key))
        {
            return SignatureCompare.TextEquals(key, http.Request.Headers[HeaderName].ToString())
                ? null
                : Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: $"A valid {HeaderName} header is required.");
        }
        return IsLoopback(http)
            ? null
            : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Without a configured API key the management API answers loopback callers only.");
    }

    /// <summary>
    /// A caller on this machine: a loopback client address (or none, as on a Unix socket), and no forwarding header left.
    /// Through one of <c>Webhooks:TrustedProxies</c> the client address is the one the proxy forwarded, and the
    /// forwarded-headers middleware removes the <c>X-Forwarded-For</c> it has read. Behind a proxy that is not trusted
    /// (nginx or Caddy on the same host, with every request from 127.0.0.1) the headers it adds stay, and are what tell a
    /// caller from the internet apart, so a request that carries one is not treated as local.
    /// </summary>
    public static bool IsLoopback(HttpContext http) =>
        (http.Connection.RemoteIpAddress is not { } remote || IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote))
        && !ForwardingHeaders.Any(http.Request.Headers.ContainsKey);
}
