using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.WebApi.Changes;
using Orleans.Webhooks.WebApi.Console;
using Orleans.Webhooks.WebApi.Dashboard;
using Orleans.Webhooks.WebApi.Health;
using Orleans.Webhooks.WebApi.Ingestion;
using Orleans.Webhooks.WebApi.Management;
using Orleans.Webhooks.WebApi.Network;
using Orleans.Webhooks.WebApi.Orleans;
using Orleans.Webhooks.WebApi.Rejections;
using Orleans.Webhooks.WebApi.Telemetry;

// appsettings.json beside the program, wherever it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]) && string.IsNullOrEmpty(builder.Configuration["https_ports"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5000"); // the contract's default, loopback only, when ASPNETCORE_URLS is not set
}
// Listen at once, whether or not a silo answers yet: until the Orleans client has connected, deliveries answer 503 with
// Retry-After and /health/ready 503, rather than connections being refused.
builder.Services.Configure<HostOptions>(host => host.ServicesStartConcurrently = true);

builder.AddWebhooksOrleansClient();
builder.AddWebhookIngestion();
builder.AddWebhookChanges();
builder.AddWebhookDestinations();
builder.AddManagementApi();
builder.AddWebhooksConsole();
builder.AddTrustedProxies();
builder.AddRejectionAudit();
builder.AddWebhooksHealthChecks();
builder.AddWebhooksDashboard();
builder.AddWebhooksTelemetry();
builder.Services.AddProblemDetails();

var app = builder.Build();
if (!SettingsCheck.Passes(app.Services, Console.Error))
{
    return SettingsCheck.ExitCode;
}

app.UseTrustedProxies();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseWebhookRateLimits();
app.MapWebhooks();
app.MapManagementApi();
app.MapChangesApi();
app.MapDestinationApi();
app.MapRejections();
app.MapWebhooksHealth();
app.MapWebhooksDashboard();
app.MapWebhooksConsole();
app.MapWebhooksMetrics();

app.Run();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
