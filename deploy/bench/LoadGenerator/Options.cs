using System.Globalization;

namespace Orleans.Webhooks.LoadGenerator;

/// <summary>Command line: <c>--name value</c> pairs; durations in seconds.</summary>
public sealed record Options(
    Uri Url, string Secret, string Tag, int Connections, double WarmupSeconds, double WarmupMaxSeconds, double WarmupWindowSeconds,
    double DurationSeconds, double HalfSeconds, double? Rate,
    long? Count, int Block, int WarmupBlock, int MaxBlock, double MinRate, string? ResultsFile, string? IdsFile,
    string? TimelineFile, string? CpuStartFile, IReadOnlyList<int> CpuPids, string? CpuMatch, int Customers)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected --name value pairs, got '{args[i]}'");
            }
            values[args[i][2..]] = args[++i];
        }
        string Get(string name, string? fallback = null) =>
            values.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException($"--{name} is required");
        double Number(string name, double fallback) => double.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new Options(
            new Uri(Get("url")),
            Get("secret"),
            Get("tag", $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x}"),
            (int)Number("connections", 64),
            Number("warmup", 15),
            Number("warmup-max", 35),
            Number("warmup-window", 5),
            Number("duration", 10),
            Number("half-duration", 8),
            values.ContainsKey("rate") ? Number("rate", 0) : null,
            values.ContainsKey("count") ? (long)Number("count", 0) : null,
            (int)Number("block", 100_000),
            (int)Number("warmup-block", 200_000),
            (int)Number("max-block", 2_000_000),
            Number("min-rate", 5_000),
            values.GetValueOrDefault("results"),
            values.GetValueOrDefault("ids"),
            values.GetValueOrDefault("timeline"),
            values.GetValueOrDefault("cpu-start"),
            [.. Get("cpu-pids", " ").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture))],
            values.GetValueOrDefault("cpu-match"),
            CustomersIn((int)Number("customers", RequestBlock.MaxCustomers)));
    }

    private static int CustomersIn(int customers) => customers is >= 1 and <= RequestBlock.MaxCustomers
        ? customers
        : throw new ArgumentException($"--customers must be 1 to {RequestBlock.MaxCustomers}, got {customers}");
}
