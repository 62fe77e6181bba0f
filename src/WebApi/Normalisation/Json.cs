using System.Globalization;
using System.Text.Json;
using Orleans.Webhooks.Grains.Interfaces.Money;

namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>Tolerant reads of provider JSON: a missing or mistyped field is null, never an exception.</summary>
public static class Json
{
    /// <summary>Parses a body that must be a JSON object; null when it is not.</summary>
    public static JsonElement? ParseObject(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
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
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
        _ => null,
    };

    /// <summary>A decimal from a JSON number or a decimal string ("12.50").</summary>
    public static decimal? Decimal(this JsonElement element, params ReadOnlySpan<string> path) => element.At(path) switch
    {
        { ValueKind: JsonValueKind.Number } e when e.TryGetDecimal(out var d) => d,
        { ValueKind: JsonValueKind.String } e when decimal.TryParse(e.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary>An amount in minor units converted to major units with the currency's exponent.</summary>
    public static decimal? MinorUnits(this JsonElement element, string? currency, params ReadOnlySpan<string> path) =>
        element.Decimal(path) is { } minor && minor == decimal.Truncate(minor) && minor is >= long.MinValue and <= long.MaxValue
            ? Currencies.FromMinorUnits((long)minor, currency)
            : null;

    /// <summary>A time from unix seconds (number) or an ISO 8601 string.</summary>
    public static DateTimeOffset? Time(this JsonElement element, params ReadOnlySpan<string> path) => element.At(path) switch
    {
        { ValueKind: JsonValueKind.Number } e when e.TryGetInt64(out var seconds) && seconds is > 0 and < 253402300800 =>
            DateTimeOffset.FromUnixTimeSeconds(seconds),
        { ValueKind: JsonValueKind.String } e when DateTimeOffset.TryParse(e.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) => t,
        _ => null,
    };
}
