using System.Diagnostics;
using System.Net;
using System.Text;

namespace Orleans.Webhooks.LoadGenerator;

/// <summary>Sends pre-built blocks: closed loop (N connections, each sends its next request when the previous answered) or open loop (a fixed rate).</summary>
public sealed class Driver(Uri url, int connections) : IDisposable
{
    private static readonly byte[] DuplicateMarker = Encoding.UTF8.GetBytes("\"duplicate\"");

    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestVersion = HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    private readonly Dictionary<string, int> _failures = [];

    public int Connections => connections;

    /// <summary>Why requests got no answer (connection refused, timeout...), by exception type.</summary>
    public IReadOnlyDictionary<string, int> Failures
    {
        get
        {
            lock (_failures)
            {
                return new Dictionary<string, int>(_failures);
            }
        }
    }

    /// <summary>Every connection sends back to back until <paramref name="until"/> (a Stopwatch timestamp) or the block runs out.</summary>
    public Task RunClosedAsync(RequestBlock block, long until) =>
        Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < until && block.TryTake(out var index))
            {
                await SendAsync(block, index);
            }
        })));

    /// <summary>
    /// Sends the whole block at <paramref name="perSecond"/>, whatever the answers do. A 1 ms tick fires every request
    /// that is due. Latency counts from when a request was due, not from when it went out: a request that waited for a
    /// free connection, or for a late tick (this process's own GC, a busy core), counts that wait.
    /// </summary>
    public async Task RunOpenAsync(RequestBlock block, double perSecond)
    {
        var sends = new Task[block.Count];
        var start = Stopwatch.GetTimestamp();
        var sent = 0;
        while (sent < block.Count)
        {
            var due = (long)((Stopwatch.GetTimestamp() - start) * perSecond / Stopwatch.Frequency) + 1;
            while (sent < Math.Min(due, block.Count) && block.TryTake(out var index))
            {
                var dueAt = start + (long)(sent * Stopwatch.Frequency / perSecond);
                sends[sent++] = SendAsync(block, index, dueAt);
            }
            await Task.Delay(1);
        }
        await Task.WhenAll(sends);
    }

    private async Task SendAsync(RequestBlock block, int index, long? dueAt = null)
    {
        var (buffer, offset) = block.BodySegment(index);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(buffer, offset, block.BodyLength) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("X-Webhook-Signature", block.Signatures[index]);
        var started = dueAt ?? Stopwatch.GetTimestamp();
        short status;
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            status = (short)response.StatusCode;
            if (status == Outcome.Accepted)
            {
                var answer = await response.Content.ReadAsByteArrayAsync();
                if (answer.AsSpan().IndexOf(DuplicateMarker) >= 0)
                {
                    status = Outcome.Duplicate;
                }
            }
        }
        catch (Exception ex)
        {
            status = Outcome.Failed;
            lock (_failures)
            {
                var reason = ex.InnerException is { } inner ? $"{ex.GetType().Name}/{inner.GetType().Name}" : ex.GetType().Name;
                _failures[reason] = _failures.GetValueOrDefault(reason) + 1;
            }
        }
        var completed = Stopwatch.GetTimestamp();
        block.Status[index] = status;
        block.Latency[index] = completed - started;
        block.CompletedAt[index] = completed;
    }

    public void Dispose() => _client.Dispose();
}
