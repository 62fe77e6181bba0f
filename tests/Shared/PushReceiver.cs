using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Orleans.Webhooks.Testing;

/// <summary>
/// A business system's webhook endpoint, as the README's Odoo controller does it: Kestrel on a loopback port of the test
/// process, verifying each POST's signature over the raw body with the shared secret (hmac: hex HMAC-SHA256 in
/// X-Webhook-Signature, compared in constant time; standard-webhooks: v1 signature over id.timestamp.body). It records
/// every POST, and can be taken down and brought up again on the same port. A batch (<c>{"changes":[...]}</c>) is
/// answered as one transaction would be: a 500 for all of it when any change in it is refused.
/// </summary>
public sealed class PushReceiver : IAsyncDisposable
{
    public enum Behaviour
    {
        /// <summary>200 to every POST.</summary>
        Accept,
        /// <summary>500 to every POST.</summary>
        Fail,
        /// <summary>500 the first time an id arrives, 200 after: every change is sent again.</summary>
        FailFirstTime,
    }

    /// <summary>
    /// One change as received: its id, type, the object it is about, its own JSON, whether the POST that carried it was
    /// signed right (and carried the id header that goes with it), and what that POST was answered.
    /// </summary>
    public sealed record Post(string Id, string Type, string Object, string Body, bool SignatureValid, int Status);

    /// <summary>One POST: its id header, whether it was a batch, the ids of the changes it carried, its body and its answer.</summary>
    public sealed record Request(string HeaderId, bool Batch, IReadOnlyList<string> ChangeIds, string Body, bool SignatureValid, int Status);

    private readonly ConcurrentQueue<Post> _posts = new();
    private readonly ConcurrentQueue<Request> _requests = new();
    private readonly ConcurrentDictionary<string, bool> _seen = new();
    private WebApplication? _app;

    private PushReceiver(int port, string secret, string format)
    {
        Port = port;
        Secret = secret;
        Format = format;
    }

    public int Port { get; }

    public string Secret { get; }

    public string Format { get; }

    public string Url => $"http://127.0.0.1:{Port}/odoo/webhook";

    public Behaviour Answer { get; set; } = Behaviour.Accept;

    /// <summary>An object (<c>kind:provider:id</c>) whose changes get 500 whatever <see cref="Answer"/> says.</summary>
    public string? FailingObject { get; set; }

    /// <summary>How long each answer takes.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Every change received, in arrival order (a batch's in its order).</summary>
    public IReadOnlyList<Post> Posts => _posts.ToArray();

    /// <summary>Every POST in arrival order.</summary>
    public IReadOnlyList<Request> Requests => _requests.ToArray();

    /// <summary>The ids answered with a 2xx.</summary>
    public IReadOnlySet<string> Delivered => _posts.Where(p => p.Status < 300).Select(p => p.Id).ToHashSet();

    public static async Task<PushReceiver> StartAsync(int port, string secret, string format = "hmac")
    {
        var receiver = new PushReceiver(port, secret, format);
        await receiver.UpAsync();
        return receiver;
    }

    /// <summary>Listening again, on the same port.</summary>
    public async Task UpAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        var app = builder.Build();
        app.MapPost("/odoo/webhook", ReceiveAsync);
        await app.StartAsync();
        _app = app;
    }

    /// <summary>Not listening: connections are refused.</summary>
    public async Task DownAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var raw = buffer.ToArray();
        var valid = Format == "standard-webhooks" ? StandardWebhooksValid(request, raw) : HmacValid(request, raw);
        using var json = JsonDocument.Parse(raw);
        var root = json.RootElement;
        var batch = root.TryGetProperty("changes", out var list);
        var changes = batch ? list.EnumerateArray().ToList() : [root];
        var ids = changes.Select(c => c.GetProperty("id").GetString()!).ToList();
        var headerId = Format == "standard-webhooks" ? request.Headers["webhook-id"].ToString() : request.Headers["X-Webhook-Id"].ToString();
        var expectedId = !batch ? ids[0] : Format == "standard-webhooks" ? $"batch_{ids[0]}_{ids[^1]}" : $"{ids[0]}-{ids[^1]}";
        valid &= headerId == expectedId;
        var received = changes.Select(change =>
        {
            var type = change.GetProperty("type").GetString()!;
            var data = change.GetProperty("data");
            var objectKey = $"{type.Split('.')[0]}:{data.GetProperty("provider").GetString()}:{data.GetProperty("id").GetString()}";
            return (Id: change.GetProperty("id").GetString()!, Type: type, Object: objectKey, Body: change.GetRawText());
        }).ToList();
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay);
        }
        var status = received.Any(c => c.Object == FailingObject) ? 500 : Answer switch
        {
            Behaviour.Fail => 500,
            // Every id of the POST is marked seen: a batch that carries an id for the first time fails as a whole.
            Behaviour.FailFirstTime when ids.Count(id => _seen.TryAdd(id, true)) > 0 => 500,
            _ => 200,
        };
        foreach (var change in received)
        {
            _posts.Enqueue(new Post(change.Id, change.Type, change.Object, batch ? change.Body : Encoding.UTF8.GetString(raw), valid, status));
        }
        _requests.Enqueue(new Request(headerId, batch, ids, Encoding.UTF8.GetString(raw), valid, status));
        return Results.StatusCode(status);
    }

    /// <summary>What the Odoo controller does: hex HMAC-SHA256 of the raw body with the secret, compared in constant time.</summary>
    private bool HmacValid(HttpRequest request, byte[] raw)
    {
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), raw));
        var received = request.Headers["X-Webhook-Signature"].ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(received));
    }

    private bool StandardWebhooksValid(HttpRequest request, byte[] raw)
    {
        var id = request.Headers["webhook-id"].ToString();
        var timestamp = request.Headers["webhook-timestamp"].ToString();
        if (!long.TryParse(timestamp, out var seconds) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300)
        {
            return false;
        }
        var key = Convert.FromBase64String(Secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(raw).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        return request.Headers["webhook-signature"].ToString().Split(' ')
            .Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), Encoding.ASCII.GetBytes(expected)));
    }

    /// <summary>
    /// Per object, the changes as a receiver that drops repeats by id sees them: ids in first-arrival order. Each list
    /// must be increasing for "in change order per object".
    /// </summary>
    public IReadOnlyDictionary<string, List<long>> FirstArrivalsByObject()
    {
        var seen = new HashSet<string>();
        var byObject = new Dictionary<string, List<long>>();
        foreach (var post in _posts.Where(p => p.Status < 300))
        {
            if (seen.Add(post.Id))
            {
                if (!byObject.TryGetValue(post.Object, out var ids))
                {
                    byObject[post.Object] = ids = [];
                }
                ids.Add(long.Parse(post.Id, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return byObject;
    }

    public async ValueTask DisposeAsync() => await DownAsync();
}
