using System.Diagnostics;
using System.Globalization;

namespace Orleans.Webhooks.LoadGenerator;

/// <summary>What one phase measured: 200s (accepted and duplicate), other answers, and latency percentiles of the 200s.</summary>
public sealed record PhaseStats(string Name, int Sent, int Accepted, int AcceptedInWindow, int Duplicates, IReadOnlyDictionary<string, int> Other, double Seconds, double P50Ms, double P99Ms, double MaxMs)
{
    /// <summary>200s answered inside the phase's window, per second of the window.</summary>
    public double AcceptedPerSecond => Seconds > 0 ? AcceptedInWindow / Seconds : 0;

    public int OtherCount => Other.Values.Sum();

    public static PhaseStats Of(string name, IEnumerable<RequestBlock> blocks, long windowStart, long windowEnd)
    {
        var latencies = new List<long>();
        var other = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int sent = 0, accepted = 0, inWindow = 0, duplicates = 0;
        foreach (var block in blocks)
        {
            for (var i = 0; i < block.Taken; i++)
            {
                var status = block.Status[i];
                sent++;
                if (status is Outcome.Accepted or Outcome.Duplicate)
                {
                    latencies.Add(block.Latency[i]);
                    if (status == Outcome.Duplicate)
                    {
                        duplicates++;
                        continue;
                    }
                    accepted++;
                    if (block.CompletedAt[i] <= windowEnd)
                    {
                        inWindow++;
                    }
                }
                else
                {
                    var key = status == Outcome.Failed ? "no answer" : status.ToString(CultureInfo.InvariantCulture);
                    other[key] = other.GetValueOrDefault(key) + 1;
                }
            }
        }
        latencies.Sort();
        return new PhaseStats(name, sent, accepted, inWindow, duplicates, other, (windowEnd - windowStart) / (double)Stopwatch.Frequency,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Count == 0 ? double.NaN : Ms(latencies[^1]));
    }

    private static double Percentile(List<long> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : Ms(sorted[Math.Max(0, (int)Math.Ceiling(q * sorted.Count) - 1)]);

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: sent {Sent}, accepted {Accepted} ({AcceptedPerSecond:F0}/s over {Seconds:F1} s), duplicates {Duplicates}, other {FormatOther()}, p50 {P50Ms:F2} ms, p99 {P99Ms:F2} ms, max {MaxMs:F1} ms");

    public string FormatOther() => Other.Count == 0 ? "none" : string.Join(' ', Other.Select(kv => $"{kv.Key}:{kv.Value}"));
}
