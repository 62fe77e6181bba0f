using Microsoft.Extensions.Hosting;
using Orleans.Webhooks.Silo;
using Orleans.Webhooks.Silo.Schema;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddWebhooksSchema();
builder.AddWebhooksSilo();
builder.AddWebhooksSiloTelemetry();
await builder.Build().RunWebhooksSiloAsync();
