using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Rejections;

/// <summary>
/// Collects refused deliveries in memory for <see cref="RejectionWriter"/>, which stores them in batches off the request
/// path. Bounded under a flood: every rejection is counted per provider, reason and minute, but only the first
/// <see cref="RowsPerReasonPerMinute"/> of a provider and reason (and <see cref="RowsPerMinute"/> in all) in a minute
/// are kept as rows, so a flood adds counts, not rows.
/// </summary>
public sealed class RejectionAudit(TimeProvider time)
{
    public const int RowsPerReasonPerMinute = 20;
    public const int RowsPerMinute = 500;

    /// <summary>The provider under which refusals for unconfigured names are counted: the names themselves are the caller's choice and unbounded.</summary>
    public const string UnknownProviderBucket = "*";

    private const int MaxProviderLength = 100;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Provider, string Reason), int> _rowsThisMinute = [];
    private DateTimeOffset _minute;
    private int _rowsInMinute;
    private List<Rejection> _rows = [];
    private Dictionary<(string Provider, string Reason, DateTimeOffset Minute), long> _counts = [];

    public void Record(HttpContext context, string provider, string reason, int status, byte[]? body = null, IReadOnlyList<string>? signatureHeaders = null)
    {
        var at = time.GetUtcNow();
        var minute = new DateTimeOffset(at.Ticks - at.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
        provider = Clean(provider);
        var bucket = reason == RejectionReasons.UnknownProvider ? UnknownProviderBucket : provider;
        lock (_gate)
        {
            if (minute != _minute)
            {
                _minute = minute;
                _rowsInMinute = 0;
                _rowsThisMinute.Clear();
            }
            _counts[(bucket, reason, minute)] = _counts.GetValueOrDefault((bucket, reason, minute)) + 1;
            var rows = _rowsThisMinute.GetValueOrDefault((bucket, reason));
            if (rows >= RowsPerReasonPerMinute || _rowsInMinute >= RowsPerMinute)
            {
                return;
            }
            _rowsThisMinute[(bucket, reason)] = rows + 1;
            _rowsInMinute++;
        }
        // Hashing and header names only for the rows kept, outside the lock.
        var row = new Rejection(
            provider,
            reason,
            status,
            ClientAddress(context.Connection.RemoteIpAddress),
            at,
            body?.Length ?? context.Request.ContentLength,
            body is null ? null : SHA256.HashData(body),
            signatureHeaders is null ? [] : [.. signatureHeaders.Where(name => IsPresent(context.Request, name))]);
        lock (_gate)
        {
            _rows.Add(row);
        }
    }

    /// <summary>Signature header names of a delivery to a configured provider; the names, never the values.</summary>
    public static IReadOnlyList<string> SignatureHeadersOf(ResolvedProvider provider) => provider.Scheme.Verifier.SignatureHeaders(provider.Options);

    /// <summary>Takes what was collected since the last call.</summary>
    public (List<Rejection> Rows, Dictionary<(string Provider, string Reason, DateTimeOffset Minute), long> Counts) Drain()
    {
        lock (_gate)
        {
            var drained = (_rows, _counts);
            _rows = [];
            _counts = [];
            return drained;
        }
    }

    private static bool IsPresent(HttpRequest request, string name) =>
        name.StartsWith('?') ? request.Query.ContainsKey(name[1..]) : request.Headers.ContainsKey(name);

    private static string? ClientAddress(IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    /// <summary>A provider name from the URL, bounded and without NUL (which PostgreSQL text cannot hold).</summary>
    private static string Clean(string provider)
    {
        provider = provider.Replace("\0", "", StringComparison.Ordinal).ToLowerInvariant();
        if (provider.Length <= MaxProviderLength)
        {
            return provider;
        }
        // Never half a surrogate pair: that is not text PostgreSQL can store.
        return provider[..(char.IsHighSurrogate(provider[MaxProviderLength - 1]) ? MaxProviderLength - 1 : MaxProviderLength)];
    }
}
