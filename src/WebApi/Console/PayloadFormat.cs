using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Orleans.Webhooks.WebApi.Console;

/// <summary>How the console shows a payload: JSON indented, a form body as a table of fields, other text as it is.</summary>
public sealed record PayloadFormat(string? Json, IReadOnlyList<KeyValuePair<string, string>>? Form, string? Text, int Bytes)
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static PayloadFormat Of(byte[] body, string? contentType)
    {
        var media = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return new PayloadFormat(null, null, null, body.Length);
        }
        if (media == "application/x-www-form-urlencoded")
        {
            var fields = QueryHelpers.ParseQuery(text).SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToArray();
            return new PayloadFormat(null, fields, text, body.Length);
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, Indented))
            {
                document.WriteTo(writer);
            }
            return new PayloadFormat(Encoding.UTF8.GetString(buffer.ToArray()), null, text, body.Length);
        }
        catch (JsonException)
        {
            return new PayloadFormat(null, null, text, body.Length);
        }
    }
}
