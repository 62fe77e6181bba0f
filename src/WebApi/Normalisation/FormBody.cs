using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>
/// An <c>application/x-www-form-urlencoded</c> body read from the raw bytes (UTF-8, <c>+</c> as a space). Keys are
/// taken literally, so a PHP-style key such as <c>data[merges][FNAME]</c> is one key.
/// </summary>
public sealed class FormBody(Dictionary<string, StringValues> fields)
{
    public static FormBody Parse(ReadOnlyMemory<byte> body) => new(QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body.Span)));

    /// <summary>The first value of a field, or null when it is absent or empty.</summary>
    public string? this[string key] => fields.TryGetValue(key, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
