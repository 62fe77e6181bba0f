using System.Text;
using Npgsql;
using Orleans.Webhooks.Naive;

// The naive design, done properly: verify the HMAC, INSERT the event into a queue table (one commit per delivery, the
// unique key on the event id tells duplicates), answer 200; one background loop applies pending rows to payments.
// Naive:SameWork=true adds what the product does beyond that (SameWork: customers and a change log in the same loop's
// transaction) and, with Naive:PushUrl, a second loop that POSTs each change to the business system (ChangePusher).
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var connectionString = builder.Configuration.GetConnectionString("Naive")
    ?? throw new InvalidOperationException("ConnectionStrings:Naive is not set");
var secret = builder.Configuration["Naive:Secret"] is { Length: > 0 } value
    ? value
    : throw new InvalidOperationException("Naive:Secret is not set");

// The same Npgsql settings as the product's pools (src/Silo/ConnectionPools.cs): statements
// prepared once per connection, no session reset on each return to the pool. Without them the naive design runs
// slower, and the comparison would flatter the product.
var dataSource = new NpgsqlDataSourceBuilder(connectionString);
dataSource.ConnectionStringBuilder.MaxAutoPrepare = 64;
dataSource.ConnectionStringBuilder.NoResetOnClose = true;
// Like the product (WebhooksConfiguration.WithoutTlsOnLoopback): no TLS to a database on this host unless the string
// asks for an SSL mode (BENCH_PG_OPTIONS).
if (dataSource.ConnectionStringBuilder.Host is "127.0.0.1" or "localhost" && !connectionString.Contains("ssl", StringComparison.OrdinalIgnoreCase))
{
    dataSource.ConnectionStringBuilder.SslMode = SslMode.Disable;
}
builder.Services.AddSingleton(_ => dataSource.Build());
var sameWork = builder.Configuration.GetValue<bool>("Naive:SameWork");
builder.Services.AddSingleton(sp => new QueueStore(sp.GetRequiredService<NpgsqlDataSource>(), sameWork));
builder.Services.AddSingleton(new WebhookEndpoint(secret));
builder.Services.AddHostedService<PaymentApplier>();
if (sameWork && builder.Configuration["Naive:PushUrl"] is { Length: > 0 } pushUrl)
{
    builder.Services.AddHttpClient(nameof(ChangePusher));
    builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ChangePusher>(
        sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ChangePusher)), new Uri(pushUrl), Encoding.UTF8.GetBytes(secret)));
}

var app = builder.Build();
await app.Services.GetRequiredService<QueueStore>().CreateSchemaAsync();

app.MapGet("/health", () => Results.Ok());
app.MapPost("/webhook/hmac", (HttpContext context, WebhookEndpoint endpoint, QueueStore queue) => endpoint.ReceiveAsync(context, queue));

app.Run();
