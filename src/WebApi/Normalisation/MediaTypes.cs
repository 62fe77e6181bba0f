namespace Orleans.Webhooks.WebApi.Normalisation;

public static class MediaTypes
{
    public const string Json = "application/json";
    public const string Form = "application/x-www-form-urlencoded";

    /// <summary>The media type of a Content-Type header, lower case, without parameters such as charset.</summary>
    public static string? Of(string? contentType) =>
        string.IsNullOrWhiteSpace(contentType) ? null : contentType.Split(';', 2)[0].Trim().ToLowerInvariant();

    /// <summary>JSON (application/json, text/json, anything +json), or no content type at all.</summary>
    public static bool IsJsonOrUnspecified(string? mediaType) =>
        mediaType is null or Json or "text/json" || mediaType.EndsWith("+json", StringComparison.Ordinal);

    public static bool IsForm(string? mediaType) => mediaType == Form;
}
