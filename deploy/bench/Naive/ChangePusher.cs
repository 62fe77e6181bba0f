using System.Buffers;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;

namespace Orleans.Webhooks.Naive;

/// <summary>
/// The push as a cron job would do it: read the changes after the cursor in order, POST each one on its own to the
/// business system in the product's hmac format (body <c>{"id","type","data","cause"}</c>, <c>X-Webhook-Id</c>,
/// <c>X-Webhook-Signature</c> = lowercase hex HMAC-SHA256 of the body), one after the other, and move the cursor past
/// what was answered 2xx. A failure waits a second and starts again from the change that failed.
/// </summary>
public sealed partial class ChangePusher(NpgsqlDataSource db, HttpClient http, Uri url, byte[] key, ILogger<ChangePusher> logger) : BackgroundService
{
    private const int BatchSize = 100;
    private static readonly TimeSpan IdleDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan FailureDelay = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = IdleDelay;
            try
            {
                if (await PushPendingAsync(stoppingToken) > 0)
                {
                    continue;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPushFailed(logger, ex);
                delay = FailureDelay;
            }
            await Task.Delay(delay, stoppingToken);
        }
    }

    private async Task<int> PushPendingAsync(CancellationToken cancellationToken)
    {
        var pending = new List<(long Seq, string Kind, string View, string EventId, string EventType)>(BatchSize);
        await using (var select = db.CreateCommand("""
            SELECT seq, kind, view::text, event_id, event_type FROM changes
            WHERE seq > (SELECT cursor FROM push_cursor) ORDER BY seq LIMIT $1
            """))
        {
            select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = BatchSize });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
            }
        }
        long pushed = 0;
        try
        {
            foreach (var change in pending)
            {
                await PostAsync(change.Seq, change.Kind, change.View, change.EventId, change.EventType, cancellationToken);
                pushed = change.Seq;
            }
        }
        finally
        {
            if (pushed > 0)
            {
                await using var advance = db.CreateCommand("UPDATE push_cursor SET cursor = $1");
                advance.Parameters.Add(new NpgsqlParameter<long> { TypedValue = pushed });
                await advance.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        return pending.Count;
    }

    private async Task PostAsync(long seq, string kind, string view, string eventId, string eventType, CancellationToken cancellationToken)
    {
        var id = seq.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = new ArrayBufferWriter<byte>(view.Length + 256);
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("type", kind + ".updated");
            json.WritePropertyName("data");
            json.WriteRawValue(view, skipInputValidation: true);
            json.WriteStartObject("cause");
            json.WriteString("event", "hmac:" + eventId);
            json.WriteString("type", eventType);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ReadOnlyMemoryContent(body.WrittenMemory) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Webhook-Id", id);
        request.Headers.Add("X-Webhook-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(key, body.WrittenSpan)));
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Pushing changes failed; retrying from the change that failed")]
    private static partial void LogPushFailed(ILogger logger, Exception exception);
}
