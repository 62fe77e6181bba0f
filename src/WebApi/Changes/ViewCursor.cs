using System.Text;
using System.Text.Json;

namespace Orleans.Webhooks.WebApi.Changes;

/// <summary>The opaque cursor of a list: the key of the last item, so a page never repeats or skips an object.</summary>
public sealed record ViewCursor(string Provider, string Id)
{
    public string Encode() => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new[] { Provider, Id }))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? text, out ViewCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            if (JsonSerializer.Deserialize<string[]>(Encoding.UTF8.GetString(Convert.FromBase64String(base64))) is [var provider, var id])
            {
                cursor = new ViewCursor(provider, id);
                return true;
            }
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
        }
        return false;
    }
}
