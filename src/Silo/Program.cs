using Microsoft.Extensions.Hosting;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Silo;
using Orleans.Webhooks.Silo.Schema;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddWebhooksSchema();
builder.AddWebhooksSilo();
builder.AddWebhooksSiloTelemetry();
builder.AddWebhooksSiloShutdown();
var host = builder.Build();
if (!SettingsCheck.Passes(host.Services, Console.Error))
{
    return SettingsCheck.ExitCode;
}
await host.RunWebhooksSiloAsync();
return 0;
