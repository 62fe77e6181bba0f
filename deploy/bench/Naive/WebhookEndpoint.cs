using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Orleans.Webhooks.Naive;

/// <summary>POST /webhook/hmac: the product's hmac scheme (X-Webhook-Signature = lowercase hex HMAC-SHA256 of the raw body).</summary>
public sealed class WebhookEndpoint(string secret)
{
    private const int MaxBodyBytes = 1024 * 1024;
    private readonly byte[] _key = Encoding.UTF8.GetBytes(secret);

    public async Task<IResult> ReceiveAsync(HttpContext context, QueueStore queue)
    {
        var body = await ReadBodyAsync(context);
        if (body is null)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        if (!SignatureMatches(context.Request.Headers["X-Webhook-Signature"].ToString(), body))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid signature");
        }
        if (Parse(body) is not { } queued)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not a seed-format event");
        }
        try
        {
            var inserted = await queue.InsertAsync(queued, context.RequestAborted);
            return Results.Ok(new Answer(inserted ? "accepted" : "duplicate", queued.EventId));
        }
        catch (NpgsqlException)
        {
            context.Response.Headers.RetryAfter = "5";
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not stored; retry later");
        }
    }

    private bool SignatureMatches(string header, byte[] body)
    {
        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (header.Length != given.Length * 2 || Convert.FromHexString(header, given, out _, out var written) != OperationStatus.Done || written != given.Length)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static QueuedEvent? Parse(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Text(root, "id") is not { Length: > 0 } id || Text(root, "type") is not { } type)
            {
                return null;
            }
            var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : root;
            var currency = Text(data, "currency");
            decimal? amount = data.TryGetProperty("amount", out var a) && a.TryGetInt64(out var minor)
                ? minor / (string.Equals(currency, "jpy", StringComparison.OrdinalIgnoreCase) ? 1m : 100m)
                : null;
            return new QueuedEvent(id, type, Text(data, "id"), amount, currency, Text(data, "customer"), body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return null;
        }
        var reader = context.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted);
            if (read.Buffer.Length > MaxBodyBytes)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return null;
            }
            if (read.IsCompleted)
            {
                var body = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return body;
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private sealed record Answer(string Status, string Id);
}
