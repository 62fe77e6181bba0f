using Orleans.Webhooks.WebApi.Dashboard;
using Orleans.Webhooks.WebApi.Health;
using Orleans.Webhooks.WebApi.Ingestion;
using Orleans.Webhooks.WebApi.Management;
using Orleans.Webhooks.WebApi.Orleans;
using Orleans.Webhooks.WebApi.Telemetry;

var builder = WebApplication.CreateBuilder(args);

builder.AddWebhooksOrleansClient();
builder.AddWebhookIngestion();
builder.AddWebhooksHealthChecks();
builder.AddWebhooksDashboard();
builder.AddWebhooksTelemetry();
builder.Services.AddProblemDetails();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRateLimiter();
app.MapWebhooks();
app.MapManagementApi();
app.MapWebhooksHealth();
app.MapWebhooksDashboard();

app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
