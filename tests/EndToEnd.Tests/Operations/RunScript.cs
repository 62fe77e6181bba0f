using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Operations;

/// <summary>
/// deploy/local/run.sh started as its own process group (as a terminal would), on the binaries the tests were built
/// with (--no-build), configured through the environment only. Disposing stops the whole group.
/// </summary>
public sealed partial class RunScript : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _says = new(); // run.sh's own lines ("==> ..."), kept whatever the programs print

    private RunScript(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static RunScript Start(int nodes, IReadOnlyDictionary<string, string> environment)
    {
        // setsid: a new process group whose id is the script's pid, so that every process it starts can be stopped at once.
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = TestDatabase.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { Path.Combine(TestDatabase.RepositoryRoot, "deploy", "local", "run.sh"), "--nodes", nodes.ToString(CultureInfo.InvariantCulture), "--no-build" })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        start.Environment["WEBHOOKS_CONFIGURATION"] = ServiceProcess.BuildConfiguration;
        start.Environment["DOTNET_gcServer"] = "0";
        return new RunScript(Process.Start(start) ?? throw new InvalidOperationException("could not start run.sh"));
    }

    public string Output => string.Join('\n', _output);

    /// <summary>What run.sh itself said.</summary>
    public string Says => string.Join('\n', _says);

    public bool HasExited => _process.HasExited;

    /// <summary>run.sh's exit code once it has exited by itself within <paramref name="timeout"/>; its output is then complete.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>The pids run.sh reported for silo <paramref name="index"/>, in the order it started them.</summary>
    public IReadOnlyList<int> SiloPids(int index) => Pids($"silo {index}");

    public IReadOnlyList<int> WebApiPids() => Pids("the web API");

    private IReadOnlyList<int> Pids(string name) =>
        _says.Select(line => StartedLine().Match(line)).Where(m => m.Success && m.Groups["name"].Value == name)
            .Select(m => int.Parse(m.Groups["pid"].Value, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Waits until run.sh says something containing <paramref name="text"/>.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout) =>
        Eventually.MatchesAsync(() =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"run.sh exited ({_process.ExitCode}):\n{Output}");
            }
            return Task.FromResult(_says.Any(line => line.Contains(text, StringComparison.Ordinal)));
        }, seen => seen, timeout, $"run.sh to print '{text}'");

    public static void Kill(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, "--", pid.ToString(CultureInfo.InvariantCulture)]);
        kill!.WaitForExit();
    }

    [GeneratedRegex(@"==> (?<name>silo \d+|the web API) started \(pid (?<pid>\d+)")]
    private static partial Regex StartedLine();

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        if (line.StartsWith("==> ", StringComparison.Ordinal) || line.StartsWith("error: ", StringComparison.Ordinal))
        {
            _says.Enqueue(line);
        }
        _output.Enqueue(line);
        while (_output.Count > 2000 && _output.TryDequeue(out _))
        {
        }
    }

    /// <summary>SIGTERM to the group as Ctrl-C would send; whatever still runs 40 s later is killed.</summary>
    public async ValueTask DisposeAsync()
    {
        var group = -_process.Id;
        if (!_process.HasExited)
        {
            Kill(group, "TERM");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        Kill(group, "KILL");
        _process.Dispose();
    }
}
