using System.Buffers;

// The ceiling: what ASP.NET Core alone does on this machine. Reads the whole body into memory, as the product does,
// and answers 200: no verification, no storage.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();

app.MapGet("/health", () => Results.Ok());
app.MapPost("/webhook/{provider}", async (HttpContext context, CancellationToken cancellationToken) =>
{
    var reader = context.Request.BodyReader;
    while (true)
    {
        var read = await reader.ReadAsync(cancellationToken);
        if (read.IsCompleted)
        {
            var body = read.Buffer.ToArray();
            reader.AdvanceTo(read.Buffer.End);
            return Results.Ok(new { status = "accepted", length = body.Length });
        }
        reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
    }
});

app.Run();
