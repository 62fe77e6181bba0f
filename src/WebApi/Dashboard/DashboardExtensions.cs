using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.WebApi.Management;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Dashboard;

public static class DashboardExtensions
{
    public const string RoutePrefix = "/dashboard";

    public static IHostApplicationBuilder AddWebhooksDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DashboardAccess>().Bind(builder.Configuration.GetSection(DashboardAccess.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DashboardAccess>>(new SectionValidator<DashboardAccess>(new DashboardAccessValidator(), DashboardAccess.SectionName));
        return builder;
    }

    /// <summary>Serves the Orleans Dashboard at <c>/dashboard/</c>, behind basic authentication or loopback-only access.</summary>
    public static WebApplication MapWebhooksDashboard(this WebApplication app)
    {
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(RoutePrefix),
            branch => branch.Use(async (context, next) =>
            {
                var access = context.RequestServices.GetRequiredService<IOptionsMonitor<DashboardAccess>>().CurrentValue;
                if (string.IsNullOrEmpty(access.Password) ? ManagementAccessFilter.IsLoopback(context) : HasCredentials(context, access.Username, access.Password!))
                {
                    await next(context);
                    return;
                }
                context.Response.StatusCode = string.IsNullOrEmpty(access.Password) ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
                if (!string.IsNullOrEmpty(access.Password))
                {
                    context.Response.Headers.WWWAuthenticate = "Basic realm=\"Orleans Dashboard\", charset=\"UTF-8\"";
                }
            }));
        app.MapOrleansDashboard(routePrefix: RoutePrefix);
        return app;
    }

    /// <summary>Whether the request carries HTTP basic credentials equal to these (compared in constant time). The console asks for the same.</summary>
    internal static bool HasCredentials(HttpContext context, string username, string password)
    {
        if (!AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var header)
            || !"Basic".Equals(header.Scheme, StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return false;
        }
        string credentials;
        try
        {
            credentials = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = credentials.IndexOf(':');
        return colon > 0
            & SignatureCompare.TextEquals(username, credentials[..colon])
            & SignatureCompare.TextEquals(password, credentials[(colon + 1)..]);
    }
}
