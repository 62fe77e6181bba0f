using System.Globalization;
using System.Text;

namespace Orleans.Webhooks.EndToEnd.Tests.Fuzz;

/// <summary>
/// JSON text written by hand, so that it can hold what a serializer would never write but a provider may send: a lone
/// surrogate as an escape (<c>\ud800</c>), NUL and other control characters, numbers beyond double and decimal, deep
/// arrays. Every value comes from the <see cref="Random"/> given, so a seed makes the same text again.
/// </summary>
public sealed class FuzzJson(Random random)
{
    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "-1", "1e308", "-1e308", "1e-400", "9007199254740993", "-9007199254740993", "18446744073709551616",
        "79228162514264337593543950336", "123456789012345678901234567890.123456789", "0.1", "1E+2", "12.50",
    ];

    private static readonly string[] Unicode = ["Zoë", "名前", "😀", "\u200B", "\uFEFF", "Ω≈ç√", "ﷺ", "\u202Eevil"];

    public Random Random => random;

    public bool Chance(double p) => random.NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>A JSON string literal of <paramref name="text"/> (quotes included); control characters escaped.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                < ' ' => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => builder.Append(c),
            };
        }
        return builder.Append('"').ToString();
    }

    /// <summary>A string literal that is odd: NUL, control characters, a lone surrogate, 10 kB, unicode, / and %.</summary>
    public string OddString()
    {
        var core = $"v{random.Next(1000)}";
        return random.Next(9) switch
        {
            0 => Quote(core + "\0" + core),
            1 => Quote(string.Concat(Enumerable.Range(0, 8).Select(_ => (char)random.Next(1, 32))) + core),
            2 => $"\"{core}\\ud800\"", // a high surrogate with nothing after it
            3 => $"\"\\udc00{core}\\ud83d\"",
            4 => Quote(new string((char)('a' + random.Next(26)), 10_240)),
            5 => Quote(core + Pick(Unicode)),
            6 => Quote($"{core}/../%2F%00%{random.Next(100)}"),
            7 => Quote(""),
            _ => Quote(core + " \u007f\u0085\u2028\u2029"),
        };
    }

    /// <summary>Any JSON value, odd more often than not; nested up to <paramref name="depth"/>.</summary>
    public string Value(int depth = 3) => random.Next(depth > 0 ? 8 : 5) switch
    {
        0 => OddString(),
        1 => Pick(Numbers),
        2 => "null",
        3 => random.Next(2) == 0 ? "true" : "false",
        4 => Quote($"plain {random.Next(100_000)}"),
        5 => "[" + string.Join(',', Enumerable.Range(0, random.Next(4)).Select(_ => Value(depth - 1))) + "]",
        6 => Nested(random.Next(5, 40)),
        _ => Object(Enumerable.Range(0, random.Next(4)).Select(i => ($"k{i}", Value(depth - 1)))),
    };

    /// <summary>Arrays inside arrays, <paramref name="depth"/> deep.</summary>
    public static string Nested(int depth) => new string('[', depth) + "1" + new string(']', depth);

    /// <summary>A field: the plausible value usually, any value sometimes (a type swapped, null, an odd string).</summary>
    public string Field(string plausible, double odd = 0.3) => Chance(odd) ? Value() : plausible;

    public static string Object(IEnumerable<(string Name, string Value)> members) =>
        "{" + string.Join(',', members.Select(m => Quote(m.Name) + ":" + m.Value)) + "}";
}
