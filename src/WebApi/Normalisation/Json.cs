using System.Globalization;
using System.Text.Json;

namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>Tolerant reads of provider JSON: a missing, mistyped or unreadable field is null, never an exception.</summary>
public static class Json
{
    /// <summary>
    /// Larger than any amount a payment provider sends (a thousand trillion), and small enough that sums of many of them
    /// stay far inside <see cref="decimal"/>: an absurd amount in a signed body is read as no amount, not an overflow.
    /// </summary>
    public const decimal MaxAmount = 1_000_000_000_000_000m;

    /// <summary>
    /// Parses a body that must be a JSON object; null when it is not, or when it is not valid UTF-8 (RFC 8259 requires
    /// UTF-8, and the parser checks the bytes inside a string only when the string is read, which a normaliser may never do).
    /// </summary>
    public static JsonElement? ParseObject(ReadOnlyMemory<byte> body)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return null;
        }
        try
        {
            // Not disposed, so that the element stays readable without a copy (a Clone copied the body and the parsed
            // index again): the document reads the body in place and its index goes to the GC with the request.
            var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static JsonElement? At(this JsonElement element, params ReadOnlySpan<string> path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }
        return current.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : current;
    }

    /// <summary>A string, or a number as its text (ids are sometimes numbers, as in Shopify).</summary>
    public static string? String(this JsonElement element, params ReadOnlySpan<string> path) => element.At(path) switch
    {
        { ValueKind: JsonValueKind.String } e => Text(e),
        { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
        _ => null,
    };

    /// <summary>A decimal from a JSON number or a decimal string ("12.50"), within <see cref="MaxAmount"/>.</summary>
    public static decimal? Decimal(this JsonElement element, params ReadOnlySpan<string> path) => element.At(path) switch
    {
        { ValueKind: JsonValueKind.Number } e when e.TryGetDecimal(out var d) => Bounded(d),
        { ValueKind: JsonValueKind.String } e when decimal.TryParse(Text(e), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => Bounded(d),
        _ => null,
    };

    private static decimal? Bounded(decimal amount) => Math.Abs(amount) <= MaxAmount ? amount : null;

    /// <summary>
    /// A JSON string's text, or null when it is not text: JSON's grammar lets a string hold a lone UTF-16 surrogate
    /// (<c>"\ud83d"</c>, an emoji cut in half), which the parser accepts and <see cref="JsonElement.GetString"/> then
    /// refuses to turn into a .NET string.
    /// </summary>
    private static string? Text(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>An amount in minor units converted to major units with the currency's exponent (<see cref="Currencies"/>).</summary>
    public static decimal? MinorUnits(this JsonElement element, int exponent, params ReadOnlySpan<string> path) =>
        element.Decimal(path) is { } minor && minor == decimal.Truncate(minor)
            ? Currencies.FromMinorUnits((long)minor, exponent)
            : null;

    /// <summary>A time from unix seconds (number) or an ISO 8601 string.</summary>
    public static DateTimeOffset? Time(this JsonElement element, params ReadOnlySpan<string> path) => element.At(path) switch
    {
        { ValueKind: JsonValueKind.Number } e when e.TryGetInt64(out var seconds) && seconds is > 0 and < 253402300800 =>
            DateTimeOffset.FromUnixTimeSeconds(seconds),
        { ValueKind: JsonValueKind.String } e when DateTimeOffset.TryParse(Text(e), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) => t,
        _ => null,
    };
}
