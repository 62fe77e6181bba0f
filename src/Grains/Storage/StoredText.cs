using System.Buffers;
using System.Text;

namespace Orleans.Webhooks.Grains.Storage;

/// <summary>
/// Text derived from a delivery (a type, a name, an error, a view) in a form PostgreSQL's text and jsonb accept: they
/// cannot hold U+0000, and UTF-8 cannot hold half of a surrogate pair. A NUL becomes the six characters <c>\u0000</c>
/// (visible, and the same whether the text lands in a text or a jsonb column); a lone surrogate becomes U+FFFD, as
/// System.Text.Json writes it. Only derived text: the raw body is stored as bytes, exactly as received, and keys (an
/// external id) are never rewritten, since two ids must not become one.
/// </summary>
public static class StoredText
{
    /// <summary>The text a NUL stands for once stored.</summary>
    public const string EscapedNul = "\\u0000";

    /// <summary>How System.Text.Json writes a NUL inside a JSON string.</summary>
    private const string JsonNul = "\\u0000";

    private static readonly SearchValues<char> Unstorable = SearchValues.Create("\0" + SurrogateRange());

    /// <summary>The text, storable; the same instance when it already is.</summary>
    public static string Clean(string text)
    {
        var first = text.AsSpan().IndexOfAny(Unstorable);
        if (first < 0 || IsStorableFrom(text, first))
        {
            return text;
        }
        var builder = new StringBuilder(text.Length + 8).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                builder.Append(EscapedNul);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                builder.Append('\uFFFD');
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    /// <inheritdoc cref="Clean(string)"/>
    public static string? CleanOrNull(string? text) => text is null ? null : Clean(text);

    /// <summary>
    /// JSON written by System.Text.Json, storable as jsonb: a NUL inside a string (written <c>\u0000</c>, which jsonb
    /// refuses) becomes the text <see cref="EscapedNul"/>, as <see cref="Clean"/> makes it. The serializer never writes a
    /// lone surrogate (it writes U+FFFD), nor a raw NUL.
    /// </summary>
    public static string CleanJson(string json)
    {
        var at = json.IndexOf(JsonNul, StringComparison.Ordinal);
        if (at < 0)
        {
            return json;
        }
        var builder = new StringBuilder(json.Length + 16);
        var copied = 0;
        for (; at >= 0; at = json.IndexOf(JsonNul, at + JsonNul.Length, StringComparison.Ordinal))
        {
            // An escape only where an even number of backslashes comes before it ("\\u0000" is a backslash and "u0000").
            var backslashes = 0;
            while (at - backslashes - 1 >= 0 && json[at - backslashes - 1] == '\\')
            {
                backslashes++;
            }
            if (backslashes % 2 == 1)
            {
                continue;
            }
            builder.Append(json, copied, at - copied).Append("\\\\u0000");
            copied = at + JsonNul.Length;
        }
        return copied == 0 ? json : builder.Append(json, copied, json.Length - copied).ToString();
    }

    /// <summary>Only well-formed surrogate pairs from <paramref name="first"/> on: nothing to change.</summary>
    private static bool IsStorableFrom(string text, int first)
    {
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return false;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }

    private static string SurrogateRange()
    {
        var range = new char[0xE000 - 0xD800];
        for (var i = 0; i < range.Length; i++)
        {
            range[i] = (char)(0xD800 + i);
        }
        return new string(range);
    }
}
