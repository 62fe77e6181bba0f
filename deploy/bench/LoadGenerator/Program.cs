using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Orleans.Webhooks.LoadGenerator;

// The benchmark's load generator: pre-built, correctly signed hmac deliveries, each with its own event id, sent over N
// keep-alive connections. Default: warm-up, full load (closed loop) and half that rate (open loop; --half-duration 0
// leaves it out). --rate R: only the open-loop phase, at R per second for --half-duration seconds. --count N: N events
// back to back (memory boundedness runs). Progress goes to stderr; --results gets shell-readable KEY=value lines and
// --ids the event id of every 200 accepted (the script checks each is stored). --cpu-start FILE, with --cpu-pids and
// --cpu-match: the CPU time of those processes when the full-load phase starts (CpuSnapshot). --customers N (1 to
// 100,000, the default): how many customers the events name; few make each customer a busy object.
var options = Options.Parse(args);
var secret = Encoding.UTF8.GetBytes(options.Secret);
using var driver = new Driver(options.Url, options.Connections);
var results = new List<string>();
var blocks = new List<RequestBlock>();
long nextSeq = 0;

RequestBlock Build(int count)
{
    var block = RequestBlock.Build(options.Tag, nextSeq, count, secret, options.Customers);
    nextSeq += count;
    blocks.Add(block);
    return block;
}

static long After(double seconds) => Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);

void Report(string key, PhaseStats stats)
{
    Console.Error.WriteLine($"[load] {stats.Describe()}");
    results.Add(string.Create(CultureInfo.InvariantCulture, $"{key}_RATE={stats.AcceptedPerSecond:F1}"));
    results.Add(string.Create(CultureInfo.InvariantCulture, $"{key}_P50_MS={stats.P50Ms:F2}"));
    results.Add(string.Create(CultureInfo.InvariantCulture, $"{key}_P99_MS={stats.P99Ms:F2}"));
    results.Add($"{key}_ACCEPTED={stats.Accepted}");
    results.Add($"{key}_OTHER={stats.OtherCount}");
}

async Task HalfAsync(double rate)
{
    var half = Build((int)Math.Ceiling(rate * options.HalfSeconds));
    var halfStart = Stopwatch.GetTimestamp();
    await driver.RunOpenAsync(half, rate);
    var halfStats = PhaseStats.Of(string.Create(CultureInfo.InvariantCulture, $"half rate ({rate:F0}/s offered)"), [half], halfStart, Stopwatch.GetTimestamp());
    Report("HALF", halfStats);
    if (options.TimelineFile is { } timeline)
    {
        // When each half-rate request was answered (ms since the phase began) and how long it took: shows whether the
        // slow ones are spread out (queueing) or bunched together (a pause in one of the servers).
        var startedAtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (long)Stopwatch.GetElapsedTime(halfStart).TotalMilliseconds;
        var lines = Enumerable.Range(0, half.Taken).Select(i => string.Create(
            CultureInfo.InvariantCulture,
            $"{Stopwatch.GetElapsedTime(halfStart, half.CompletedAt[i]).TotalMilliseconds:F1} {Stopwatch.GetElapsedTime(0, half.Latency[i]).TotalMilliseconds:F2}"));
        await File.WriteAllLinesAsync(
            timeline,
            lines.Prepend($"# half-rate phase began at unix ms {startedAtUnixMs}; per request: answered at ms since then, latency ms"));
    }
    results.Add(string.Create(CultureInfo.InvariantCulture, $"HALF_OFFERED={rate:F1}"));
}

if (options.Rate is { } fixedRate)
{
    // A second of the same rate first, not measured: this process's own connections and JIT are new.
    await driver.RunOpenAsync(Build((int)Math.Ceiling(fixedRate)), fixedRate);
    await HalfAsync(fixedRate);
}
else if (options.Count is { } total)
{
    // Memory boundedness: total events in blocks; the next block is built while the current one is sent.
    var start = Stopwatch.GetTimestamp();
    var size = (int)Math.Min(options.Block, total);
    var pending = Task.Run(() => Build(size));
    long done = 0;
    while (done < total)
    {
        var block = await pending;
        done += block.Count;
        if (done < total)
        {
            var nextSize = (int)Math.Min(options.Block, total - done);
            pending = Task.Run(() => Build(nextSize));
        }
        var blockStart = Stopwatch.GetTimestamp();
        await driver.RunClosedAsync(block, long.MaxValue);
        var stats = PhaseStats.Of($"events {done - block.Count}..{done}", [block], blockStart, Stopwatch.GetTimestamp());
        Console.Error.WriteLine($"[load] {Stopwatch.GetElapsedTime(start).TotalSeconds,6:F0} s  {stats.Describe()}");
    }
    Report("LONG", PhaseStats.Of("all", blocks, start, Stopwatch.GetTimestamp()));
}
else
{
    // Warm up until the rate levels off. A service runs for days; what it does while its tiered JIT is still at work is
    // not its speed: under full load on two cores the rate of every server here still rose for 30-40 s. So: windows of
    // --warmup-window seconds, at least --warmup seconds in all, and done once two windows in a row are no more than 5 %
    // faster than the best window before them (or after --warmup-max seconds).
    var warmups = new List<RequestBlock> { Build(options.WarmupBlock) };
    var warmupStart = Stopwatch.GetTimestamp();
    var windowRates = new List<double>();
    while (true)
    {
        var windowStart = Stopwatch.GetTimestamp();
        var block = warmups[^1];
        await driver.RunClosedAsync(block, After(options.WarmupWindowSeconds));
        windowRates.Add(block.AcceptedPerSecond(windowStart, Stopwatch.GetTimestamp()));
        var elapsed = Stopwatch.GetElapsedTime(warmupStart).TotalSeconds;
        var levelledOff = windowRates.Count >= 3 && windowRates[^2..].Max() <= 1.05 * windowRates[..^2].Max();
        if (elapsed >= options.WarmupMaxSeconds || (elapsed >= options.WarmupSeconds && levelledOff))
        {
            break;
        }
        if (block.Taken >= block.Count)
        {
            warmups.Add(Build(options.WarmupBlock));
        }
    }
    var warm = PhaseStats.Of("warm-up", warmups, warmupStart, Stopwatch.GetTimestamp());
    Console.Error.WriteLine($"[load] {warm.Describe()}; per {options.WarmupWindowSeconds:F0} s: {string.Join(", ", windowRates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))}/s");
    results.Add(string.Create(CultureInfo.InvariantCulture, $"WARMUP_S={warm.Seconds:F0}"));

    // Build for 1.5 times the best warm-up window (or --min-rate): building costs about a second per 300,000 requests and
    // 350 bytes each, and running out ends the phase early (a warning says so).
    var full = Build((int)Math.Clamp(Math.Max(windowRates.Max() * 1.5, options.MinRate) * options.DurationSeconds, 20_000, options.MaxBlock));
    if (options.CpuStartFile is { } cpuStart)
    {
        CpuSnapshot.Write(cpuStart, options.CpuPids, options.CpuMatch is { } match ? new Regex(match, RegexOptions.CultureInvariant) : null);
    }
    var fullStart = Stopwatch.GetTimestamp();
    var fullEnd = After(options.DurationSeconds);
    await driver.RunClosedAsync(full, fullEnd);
    if (full.Taken >= full.Count)
    {
        fullEnd = Math.Min(fullEnd, full.CompletedAt.Max());
        Console.Error.WriteLine($"[load] warning: the {full.Count} pre-built requests ran out before the end of the full-load phase");
    }
    var peak = PhaseStats.Of($"full load, {driver.Connections} connections", [full], fullStart, fullEnd);
    Report("FULL", peak);

    var rate = peak.AcceptedPerSecond / 2;
    if (rate >= 1 && options.HalfSeconds > 0)
    {
        await HalfAsync(rate);
    }
}

results.Add($"LOAD_END_MS={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}");
var all = PhaseStats.Of("all phases", blocks, 0, long.MaxValue);
results.Add($"TOTAL_SENT={all.Sent}");
results.Add($"TOTAL_ACCEPTED={all.Accepted}");
results.Add($"TOTAL_DUPLICATES={all.Duplicates}");
results.Add($"TOTAL_OTHER={all.OtherCount}");
results.Add($"TOTAL_OTHER_DETAIL='{all.FormatOther()}'");
results.Add(string.Create(CultureInfo.InvariantCulture, $"GENERATOR_CPU_S={Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F1}"));
foreach (var (reason, count) in driver.Failures)
{
    Console.Error.WriteLine($"[load] no answer: {reason} x{count}");
}

if (options.IdsFile is { } idsFile)
{
    await using var ids = new StreamWriter(idsFile, false, new UTF8Encoding(false), 1 << 16);
    foreach (var block in blocks)
    {
        for (var i = 0; i < block.Taken; i++)
        {
            if (block.Status[i] == Outcome.Accepted)
            {
                await ids.WriteLineAsync(block.EventId(i));
            }
        }
    }
}
if (options.ResultsFile is { } resultsFile)
{
    await File.WriteAllLinesAsync(resultsFile, results);
}
else
{
    results.ForEach(Console.WriteLine);
}
return 0;
