using System.Globalization;
using System.Text.RegularExpressions;

namespace Orleans.Webhooks.LoadGenerator;

/// <summary>
/// The CPU time (user + system, in clock ticks: fields 14 and 15 of <c>/proc/&lt;pid&gt;/stat</c>) each watched process
/// has used so far, written as "pid ticks" lines when the measured phase starts. The script takes the same reading once
/// the phase's work is done (processed and pushed), so that the difference is the steady state's CPU, without the JIT's
/// warm-up. The watched processes are the given pids and every process whose command line matches a pattern (the
/// PostgreSQL backends of the scenario's database, whose pids the script cannot know in advance).
/// </summary>
public static class CpuSnapshot
{
    public static void Write(string file, IEnumerable<int> pids, Regex? commandLine)
    {
        var watched = new HashSet<int>(pids);
        if (commandLine is not null)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && Read($"{dir}/cmdline") is { } cmdline
                    && commandLine.IsMatch(cmdline.Replace('\0', ' ')))
                {
                    watched.Add(pid);
                }
            }
        }
        var lines = watched
            .Select(pid => (Pid: pid, Ticks: Ticks(pid)))
            .Where(p => p.Ticks is not null)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Pid} {p.Ticks}"));
        File.WriteAllLines(file, lines);
    }

    /// <summary>utime + stime; the fields are counted after the command's closing parenthesis, which may hold spaces.</summary>
    private static long? Ticks(int pid)
    {
        if (Read($"/proc/{pid}/stat") is not { } stat)
        {
            return null;
        }
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>A process may exit between listing and reading: then there is nothing to read.</summary>
    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
