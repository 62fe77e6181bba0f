using System.Diagnostics;
using System.Net.Http.Headers;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.ChangeLog;
using Orleans.Webhooks.Grains.Interfaces.Destinations;
using Polly;
using Polly.Timeout;

namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// One POST of a change, or of a batch of them, through the <see cref="HttpClientName"/> client: its resilience handler bounds each try by the
/// destination's <c>Timeout</c> and retries a failed try a couple of times within a second. Waiting longer, the
/// cursor and the retry horizon belong to the destination grain.
/// </summary>
internal sealed class DestinationSender(IHttpClientFactory clients)
{
    public const string HttpClientName = "webhooks-destinations";

    /// <summary>The destination's <c>Timeout</c>, carried on the request to the resilience handler's per-try timeout.</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> TimeoutKey = new("webhooks.destination.timeout");

    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public async Task<SendResult> SendAsync(IReadOnlyList<Change> changes, DestinationOptions destination, CancellationToken cancellationToken)
    {
        var (body, id) = PushMessage.Of(changes, destination);
        using var request = new HttpRequestMessage(HttpMethod.Post, destination.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        foreach (var (name, value) in PushMessage.Headers(id, body, destination, DateTimeOffset.UtcNow))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        request.Options.Set(TimeoutKey, destination.Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            var error = response.IsSuccessStatusCode ? null : $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
            return new SendResult(status, Elapsed(started), error);
        }
        catch (TimeoutRejectedException)
        {
            return new SendResult(null, Elapsed(started), $"no answer within {destination.Timeout}");
        }
        catch (HttpRequestException ex)
        {
            return new SendResult(null, Elapsed(started), ex.Message);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Anything else a POST can end with is a failed attempt too, retried like the others.
            return new SendResult(null, Elapsed(started), $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>The per-try timeout of <paramref name="context"/>'s request.</summary>
    public static TimeSpan TimeoutOf(ResilienceContext context) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(TimeoutKey, out var timeout) ? timeout : TimeSpan.FromSeconds(10);

    private static int Elapsed(long started) => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}
