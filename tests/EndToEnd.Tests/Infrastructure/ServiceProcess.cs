using System.Collections.Concurrent;
using System.Diagnostics;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Infrastructure;

/// <summary>A silo or web API started as the real program, with its output kept for the failure message.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentDictionary<string, bool> _entries = new();
    private string? _failureHeader;

    private ServiceProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _errors.Enqueue(e.Data);
            }
            Keep(e.Data);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', _output);

    /// <summary>Every line the program wrote to stderr (also in <see cref="Output"/>); complete once it has exited.</summary>
    public IReadOnlyCollection<string> ErrorLines => _errors;

    /// <summary>
    /// Every error the program logged since it started ("fail:" and "crit:" entries of the console logger, each with its
    /// message line), kept whole rather than as the last lines of <see cref="Output"/>.
    /// </summary>
    public IReadOnlyCollection<string> Failures => _failures;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Whether the program logged an entry whose header (the console logger's "level: Category[EventId]" line) contains
    /// <paramref name="header"/>, however long ago: every distinct header is kept, unlike the bounded <see cref="Output"/>.
    /// </summary>
    public bool HasLogged(string header) => _entries.Keys.Any(h => h.Contains(header, StringComparison.Ordinal));

    /// <summary>The program's host has finished starting (Microsoft.Hosting.Lifetime's "Application started"), seen however much it printed since.</summary>
    public bool HasStarted { get; private set; }

    public int ExitCode => _process.ExitCode;

    public static ServiceProcess Start(string project, IReadOnlyDictionary<string, string> environment)
    {
        var directory = Path.Combine(TestDatabase.RepositoryRoot, "src", project, "bin", BuildConfiguration, "net10.0");
        var start = new ProcessStartInfo("dotnet", $"Orleans.Webhooks.{project}.dll")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        start.Environment["DOTNET_gcServer"] = "0"; // two cores shared by several processes in the tests
        return new ServiceProcess(Process.Start(start) ?? throw new InvalidOperationException($"could not start {project}"));
    }

    /// <summary>The configuration the tests were built with: the programs under test were built the same way.</summary>
    public static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>Like a crash or kill -9: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as systemd or Ctrl-C would stop it, waiting for a graceful exit.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_process.HasExited)
        {
            return;
        }
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        if (_failureHeader is { } header)
        {
            _failures.Enqueue($"{header} {line.Trim()}");
            _failureHeader = null;
        }
        else if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
        {
            _failureHeader = line;
        }
        if (line.Length > 6 && line[4] == ':' && line[5] == ' ' && !char.IsWhiteSpace(line[0]))
        {
            _entries.TryAdd(line, true);
        }
        HasStarted |= line.Contains("Application started.", StringComparison.Ordinal);
        _output.Enqueue(line);
        while (_output.Count > 400 && _output.TryDequeue(out _))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
