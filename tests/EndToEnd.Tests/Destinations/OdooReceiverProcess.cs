using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Destinations;

/// <summary>
/// deploy/odoo/tests/receiver.py run with python3: the Odoo addon's pure module (verify, parse, order) behind an
/// http.server on a free port, keeping what it applied in memory and showing it at GET /state.
/// </summary>
public sealed class OdooReceiverProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _errors;
    private readonly HttpClient _http;

    private OdooReceiverProcess(Process process, ConcurrentQueue<string> errors, int port)
    {
        _process = process;
        _errors = errors;
        Port = port;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public int Port { get; }

    /// <summary>Where a destination points: the path of the addon's controller.</summary>
    public string Url => $"http://127.0.0.1:{Port}/orleans/webhook";

    /// <summary>What python3 wrote to stderr (a traceback when the receiver failed).</summary>
    public string Errors => string.Join('\n', _errors);

    public static async Task<OdooReceiverProcess> StartAsync(IEnumerable<string> secrets)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(TestDatabase.RepositoryRoot, "deploy", "odoo", "tests", "receiver.py"));
        start.ArgumentList.Add("--port=0");
        foreach (var secret in secrets)
        {
            start.ArgumentList.Add($"--secret={secret}");
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 could not be started");
        var errors = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                errors.Enqueue(e.Data);
            }
        };
        process.BeginErrorReadLine();
        try
        {
            // Its first line names the port it listens on.
            var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
                ?? throw new InvalidOperationException("receiver.py exited before listening:\n" + string.Join('\n', errors));
            using var announced = JsonDocument.Parse(first);
            return new OdooReceiverProcess(process, errors, announced.RootElement.GetProperty("port").GetInt32());
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>What it applied: objects (newest change id and view), applied ids, repeats, older changes, POSTs.</summary>
    public async Task<JsonElement> StateAsync() => await _http.GetFromJsonAsync<JsonElement>("/state");

    /// <summary>"Fetch missed changes": reads GET /api/changes of <paramref name="api"/> after <paramref name="after"/>, applied as a push is.</summary>
    public async Task<JsonElement> FetchAsync(Uri api, long after)
    {
        var query = $"/fetch?api={Uri.EscapeDataString(api.ToString().TrimEnd('/'))}&after={after.ToString(CultureInfo.InvariantCulture)}&limit=7";
        using var response = await _http.PostAsync(query, null);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"fetch answered {(int)response.StatusCode}: {answer}\n{Errors}");
        return answer;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
