using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Caching.Memory;
using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Signatures;

/// <summary>
/// The certificate PayPal signed a delivery with: the provider's <c>CertificatePath</c> (PEM) when set, else the
/// <c>PAYPAL-CERT-URL</c> of the delivery, downloaded only over https from PayPal's own API hosts, under PayPal's
/// certificate path, without following redirects, and cached by URL. A URL anywhere else is refused without a request,
/// so a forged delivery cannot bring its own certificate.
/// </summary>
public sealed partial class PayPalCertificateSource(IHttpClientFactory httpClients, ILogger<PayPalCertificateSource> logger) : IDisposable
{
    public const string HttpClientName = "paypal-certificates";

    /// <summary>
    /// Certificates the cache holds at most, downloaded and configured together: PayPal rotates rarely, and the limit
    /// bounds what deliveries naming many distinct certificates on PayPal's host could pile up.
    /// </summary>
    public const int MaxCachedCertificates = 64;

    private const int MaxCertificateBytes = 64 * 1024;

    private static readonly HashSet<string> TrustedHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "api.paypal.com", "api-m.paypal.com", "api.sandbox.paypal.com", "api-m.sandbox.paypal.com",
    };

    /// <summary>
    /// Each certificate counts 1. No expiry: the verifier checks a certificate's validity period on its own clock, and
    /// the size limit bounds the cache (an entry beyond it is not kept, and the cache compacts).
    /// </summary>
    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1 };

    // A cache of its own: a size limit makes every entry of the cache declare a size, which a shared IMemoryCache's
    // other users do not. Downloads are keyed by URL, files by path and write time (a replaced file is read again).
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxCachedCertificates });

    /// <summary>Certificates cached now.</summary>
    public int CachedCount => _cache.Count;

    /// <summary>The path PayPal serves its signing certificates under.</summary>
    private const string CertificatesPath = "/v1/notifications/certs/";

    /// <summary>https, default port, no user info, one of PayPal's API hosts, and PayPal's certificate path.</summary>
    public static bool IsTrustedUrl(string? url, out Uri uri)
    {
        uri = null!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed)
            || parsed.Scheme != Uri.UriSchemeHttps
            || !parsed.IsDefaultPort
            || parsed.UserInfo.Length > 0
            || !TrustedHosts.Contains(parsed.IdnHost)
            || !parsed.AbsolutePath.StartsWith(CertificatesPath, StringComparison.Ordinal)
            || parsed.AbsolutePath.Length == CertificatesPath.Length)
        {
            return false;
        }
        uri = parsed;
        return true;
    }

    /// <summary>
    /// The certificate; or <see cref="CertificateLookup.Unavailable"/> when the configured <c>CertificatePath</c> cannot
    /// be read (the operator's file, nothing to do with the delivery); or <see cref="CertificateLookup.Refused"/> for a
    /// URL we do not download from or a download that fails. A failed download is not told apart from a forged
    /// delivery: anyone can name a certificate on PayPal's host that does not exist, and answering that with "retry
    /// later" would invite retries and more downloads. PayPal retries any answer but a 2xx, a 401 included.
    /// </summary>
    public async ValueTask<CertificateLookup> GetAsync(ProviderOptions options, string? certificateUrl, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            return FromFile(options.CertificatePath) is { } configured ? new CertificateLookup(configured) : CertificateLookup.Unavailable;
        }
        if (!IsTrustedUrl(certificateUrl, out var uri))
        {
            LogUntrustedUrl(logger);
            return CertificateLookup.Refused;
        }
        if (_cache.TryGetValue(uri.AbsoluteUri, out X509Certificate2? cached) && cached is not null)
        {
            return new CertificateLookup(cached);
        }
        try
        {
            using var http = httpClients.CreateClient(HttpClientName);
            http.Timeout = TimeSpan.FromSeconds(10);
            http.MaxResponseContentBufferSize = MaxCertificateBytes;
            var pem = await http.GetStringAsync(uri, cancellationToken);
            var certificate = FromPem(pem);
            return new CertificateLookup(_cache.Set(uri.AbsoluteUri, certificate, Entry));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or CryptographicException && !cancellationToken.IsCancellationRequested)
        {
            LogDownloadFailed(logger, ex, uri.Host);
            return CertificateLookup.Refused;
        }
    }

    private X509Certificate2? FromFile(string path)
    {
        try
        {
            var key = (Path: path, Written: File.GetLastWriteTimeUtc(path));
            if (_cache.TryGetValue(key, out X509Certificate2? cached) && cached is not null)
            {
                return cached;
            }
            var certificate = FromPem(File.ReadAllText(path));
            return _cache.Set(key, certificate, Entry);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            LogFileFailed(logger, ex);
            return null;
        }
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>The first certificate of a PEM file (PayPal serves the signing certificate followed by its chain).</summary>
    public static X509Certificate2 FromPem(string pem)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPem(pem);
        return certificates.Count > 0 ? certificates[0] : throw new CryptographicException("No certificate in the PEM text.");
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Refused a PayPal certificate URL that is not https on a PayPal API host")]
    private static partial void LogUntrustedUrl(ILogger logger);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Could not download the PayPal certificate from {Host}")]
    private static partial void LogDownloadFailed(ILogger logger, Exception exception, string host);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Error, Message = "Could not read the PayPal CertificatePath file")]
    private static partial void LogFileFailed(ILogger logger, Exception exception);
}

/// <summary>What <see cref="PayPalCertificateSource.GetAsync"/> found: a certificate, or why there is none.</summary>
public readonly record struct CertificateLookup(X509Certificate2? Certificate, bool IsUnavailable = false)
{
    /// <summary>No certificate to trust for this delivery: it fails verification.</summary>
    public static CertificateLookup Refused => new(null);

    /// <summary>The certificate could not be had now: the delivery can be neither accepted nor refused.</summary>
    public static CertificateLookup Unavailable => new(null, IsUnavailable: true);
}
