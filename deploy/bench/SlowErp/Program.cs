using System.Text.Json;

// A push receiver as slow as a small Odoo: SLOW_WORKERS workers (default 4), each request taking SLOW_BASE_MS (25) plus
// SLOW_PER_CHANGE_MS (3) per change it carries, one change or a batch ({"changes":[...]}). No verification: what is
// measured is the product's push against a receiver that pays per request. GET /stats: what it received.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();

int Setting(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;
var workers = new SemaphoreSlim(Setting("SLOW_WORKERS", 4));
var baseMs = Setting("SLOW_BASE_MS", 25);
var perChangeMs = Setting("SLOW_PER_CHANGE_MS", 3);
var gate = new Lock();
long changes = 0, posts = 0, firstAt = 0, lastAt = 0;

app.MapGet("/health", () => Results.Ok());
app.MapGet("/stats", () =>
{
    lock (gate)
    {
        return Results.Ok(new { changes, posts, firstAt, lastAt });
    }
});
app.MapPost("/erp", async (HttpRequest request) =>
{
    using var json = await JsonDocument.ParseAsync(request.Body);
    var count = json.RootElement.TryGetProperty("changes", out var list) ? list.GetArrayLength() : 1;
    await workers.WaitAsync();
    try
    {
        await Task.Delay(baseMs + perChangeMs * count);
    }
    finally
    {
        workers.Release();
    }
    var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    lock (gate)
    {
        changes += count;
        posts++;
        firstAt = firstAt == 0 ? now : firstAt;
        lastAt = now;
    }
    return Results.Ok();
});

app.Run();
