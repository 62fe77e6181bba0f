using Microsoft.AspNetCore.Http.Features;

namespace Orleans.Webhooks.WebApi.Management;

/// <summary>
/// Ids taken from the request's path as it was sent, decoded once. The server decodes the path before routing, all but
/// an encoded '/' (%2F), which it keeps: an id that holds the text "%2F" itself (sent as %252F) would then read like one
/// holding '/', and decoding the rest again would decode it twice. The raw request target has neither problem.
/// </summary>
public static class RawPath
{
    /// <summary>The path's segments, each decoded once, without the leading empty one: "/api/events/a%2Fb" is [api, events, a/b].</summary>
    public static string[] Segments(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
        {
            // No origin-form target (an in-memory test server, an absolute-form request): the decoded path, in which
            // only an encoded '/' is left to decode.
            var path = http.Request.PathBase.Add(http.Request.Path).Value ?? "";
            return [.. path.Split('/').Skip(1).Select(s => s.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase))];
        }
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        return [.. (query >= 0 ? raw[..query] : raw).Split('/').Skip(1).Select(Uri.UnescapeDataString)];
    }

    /// <summary>The id that spans the segments from <paramref name="first"/> on, less the last <paramref name="trailing"/> ones.</summary>
    public static string Id(IReadOnlyList<string> segments, int first, int trailing = 0) =>
        string.Join('/', segments.Skip(first).Take(Math.Max(segments.Count - first - trailing, 0)));
}
