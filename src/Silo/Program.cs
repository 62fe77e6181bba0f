using Microsoft.Extensions.Hosting;
using Orleans.Webhooks.Silo;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddWebhooksSilo();
builder.AddWebhooksSiloTelemetry();
await builder.Build().RunAsync();
