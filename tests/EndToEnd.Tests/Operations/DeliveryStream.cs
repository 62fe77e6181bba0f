using System.Collections.Concurrent;
using System.Net;

namespace Orleans.Webhooks.EndToEnd.Tests.Operations;

/// <summary>
/// A provider under load: <c>workers</c> senders, each delivering one new signed event after another and retrying
/// each until it answers 200, as Stripe or GitHub retry. Every answer is counted, so a test can say which statuses the
/// service gave while something happened to it.
/// </summary>
public sealed class DeliveryStream : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan EventDeadline = TimeSpan.FromSeconds(120);

    private readonly HttpClient _http;
    private readonly Func<string, string> _body;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _accepted = new();
    private readonly ConcurrentDictionary<string, int> _answers = new();
    private readonly TimeSpan _pause;
    private readonly Task[] _workers;

    /// <param name="body">The signed body of the event with the given id.</param>
    /// <param name="pause">Between one accepted event and the next, per sender: a steady load rather than all two cores can give.</param>
    public DeliveryStream(HttpClient http, Func<string, string> body, int workers, TimeSpan pause)
    {
        _http = http;
        _body = body;
        _pause = pause;
        _workers = Enumerable.Range(0, workers).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    /// <summary>The ids of the events accepted so far.</summary>
    public IReadOnlyCollection<string> Accepted => _accepted.ToArray();

    /// <summary>How often each answer came: a status code ("200", "503") or "no answer" when the connection failed.</summary>
    public IReadOnlyDictionary<string, int> Answers => new Dictionary<string, int>(_answers);

    /// <summary>Stops starting new events and waits until those in flight are accepted.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var id = $"evt_{Guid.NewGuid():N}";
            var deadline = DateTime.UtcNow + EventDeadline;
            while (true)
            {
                var answer = await SendAsync(id);
                _answers.AddOrUpdate(answer, 1, (_, n) => n + 1);
                if (answer == "200")
                {
                    _accepted.Enqueue(id);
                    await Task.Delay(_pause);
                    break;
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"Event {id} was not accepted within {EventDeadline}; answers so far: {string.Join(", ", Answers)}");
                }
                await Task.Delay(RetryDelay);
            }
        }
    }

    private async Task<string> SendAsync(string id)
    {
        try
        {
            using var response = await _http.SendAsync(Signing.Hmac(_body(id)));
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException)
        {
            return "no answer";
        }
        catch (TaskCanceledException)
        {
            return "no answer";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_workers);
        }
        catch (TimeoutException)
        {
            // Already reported by StopAsync when the test waited for it.
        }
        _stop.Dispose();
    }
}
