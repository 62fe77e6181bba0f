using Microsoft.Extensions.Options;
using Orleans.Webhooks.WebApi.Dashboard;
using Orleans.Webhooks.WebApi.Management;
using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Console;

/// <summary>
/// The console at <c>/console/</c>: Razor Pages rendered on the server, readable without JavaScript, every form with an
/// anti-forgery token (Razor Pages validate it on every POST). Access follows the management API's rule: with a
/// dashboard password or a management key configured, the browser is asked for basic credentials (the dashboard's user
/// name and password, or, with no dashboard password, the dashboard's user name and the management key); with neither,
/// loopback callers only.
/// </summary>
public static partial class ConsoleExtensions
{
    public const string RoutePrefix = "/console";

    public static IHostApplicationBuilder AddWebhooksConsole(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(options => options.RootDirectory = "/Console/Pages");
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "webhooks-console-antiforgery";
            options.Cookie.Path = RoutePrefix;
            options.FormFieldName = "__token";
        });
        return builder;
    }

    public static WebApplication MapWebhooksConsole(this WebApplication app)
    {
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(RoutePrefix),
            branch => branch.Use(async (context, next) =>
            {
                if (Refusal(context) is { } status)
                {
                    context.Response.StatusCode = status;
                    if (status == StatusCodes.Status401Unauthorized)
                    {
                        context.Response.Headers.WWWAuthenticate = "Basic realm=\"Orleans.Webhooks console\", charset=\"UTF-8\"";
                    }
                    context.Response.ContentType = "text/plain; charset=utf-8";
                    await context.Response.WriteAsync(status == StatusCodes.Status401Unauthorized
                        ? "The console asks for the dashboard's user name and password."
                        : "Without a dashboard password or a management key the console answers loopback callers only.");
                    return;
                }
                try
                {
                    await next(context);
                }
                catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
                {
                    // A grain call or a query that failed: the cluster or PostgreSQL did not answer.
                    LogUnavailable(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleExtensions)), ex, context.Request.Path);
                    context.Response.Clear();
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.RetryAfter = Ingestion.Problems.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    context.Response.ContentType = "text/plain; charset=utf-8";
                    await context.Response.WriteAsync("The cluster or the database did not answer; reload the page in a few seconds.");
                }
            }));
        app.MapRazorPages();
        return app;
    }

    /// <summary>401 or 403 for a caller the console refuses, null for one it serves.</summary>
    private static int? Refusal(HttpContext context)
    {
        var dashboard = context.RequestServices.GetRequiredService<IOptionsMonitor<DashboardAccess>>().CurrentValue;
        var key = context.RequestServices.GetRequiredService<IOptionsMonitor<WebhooksOptions>>().CurrentValue.ManagementApiKey;
        var password = !string.IsNullOrEmpty(dashboard.Password) ? dashboard.Password : key;
        if (!string.IsNullOrEmpty(password))
        {
            return DashboardExtensions.HasCredentials(context, dashboard.Username, password) ? null : StatusCodes.Status401Unauthorized;
        }
        return ManagementAccessFilter.IsLoopback(context) ? null : StatusCodes.Status403Forbidden;
    }

    [LoggerMessage(EventId = 5601, Level = LogLevel.Error, Message = "Console page {Path} failed; answered 503")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string path);
}
