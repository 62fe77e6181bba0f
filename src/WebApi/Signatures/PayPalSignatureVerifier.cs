using System.Globalization;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Signatures;

/// <summary>
/// PayPal: an RSA (PKCS#1 v1.5) signature in <c>PAYPAL-TRANSMISSION-SIG</c> over
/// <c>{transmission id}|{transmission time}|{WebhookId}|{crc32 of the body, unsigned decimal}</c>, with the hash named by
/// <c>PAYPAL-AUTH-ALGO</c>, checked against PayPal's certificate (see <see cref="PayPalCertificateSource"/>). The
/// transmission time is signed, so it must be within the tolerance. PayPal has no shared secret: <c>Secrets</c> is
/// unused by this scheme (the common validator still wants one non-empty value).
/// </summary>
public sealed class PayPalSignatureVerifier(PayPalCertificateSource certificates, TimeProvider time) : ISignatureVerifier
{
    /// <summary>PayPal signs with its certificate; there is no shared secret to configure.</summary>
    public bool RequiresSecrets => false;

    public const string TransmissionIdHeader = "PAYPAL-TRANSMISSION-ID";
    public const string TransmissionTimeHeader = "PAYPAL-TRANSMISSION-TIME";
    public const string TransmissionSigHeader = "PAYPAL-TRANSMISSION-SIG";
    public const string AuthAlgoHeader = "PAYPAL-AUTH-ALGO";
    public const string CertUrlHeader = "PAYPAL-CERT-URL";

    public IReadOnlyList<string> SignatureHeaders(ProviderOptions options) =>
        [TransmissionIdHeader, TransmissionTimeHeader, TransmissionSigHeader, AuthAlgoHeader, CertUrlHeader];

    public async ValueTask<SignatureResult> VerifyAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        if (!HasSignatureHeaders(request)
            || (string.IsNullOrWhiteSpace(request.Options.CertificatePath) && string.IsNullOrWhiteSpace(request.Header(CertUrlHeader))))
        {
            return SignatureResult.MissingSignature;
        }
        var lookup = await certificates.GetAsync(request.Options, request.Header(CertUrlHeader), cancellationToken);
        return lookup switch
        {
            { Certificate: { } certificate } => Verify(request, certificate, time),
            { IsUnavailable: true } => SignatureResult.KeyUnavailable,
            _ => SignatureResult.Mismatch,
        };
    }

    public static SignatureResult Verify(WebhookRequest request, X509Certificate2 certificate, TimeProvider time)
    {
        if (!HasSignatureHeaders(request))
        {
            return SignatureResult.MissingSignature;
        }
        var transmissionTime = request.Header(TransmissionTimeHeader)!;
        if (HashOf(request.Header(AuthAlgoHeader)) is not { } hash
            || !TryFromBase64(request.Header(TransmissionSigHeader)!, out var signature))
        {
            return SignatureResult.Malformed;
        }
        if (string.IsNullOrWhiteSpace(request.Options.WebhookId))
        {
            return SignatureResult.Mismatch;
        }
        var now = time.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            return SignatureResult.Mismatch;
        }

        var message = Encoding.UTF8.GetBytes($"{request.Header(TransmissionIdHeader)}|{transmissionTime}|{request.Options.WebhookId}|{BodyCrc(request.Body.Span)}");
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is null || !rsa.VerifyData(message, signature, hash, RSASignaturePadding.Pkcs1))
        {
            return SignatureResult.Mismatch;
        }
        return WithinTolerance(transmissionTime, now, request.Options.ToleranceSeconds)
            ? SignatureResult.Valid
            : SignatureResult.OutsideTolerance;
    }

    /// <summary>The body's CRC-32 (IEEE 802.3, zlib's) as PayPal signs it: the unsigned value in decimal.</summary>
    public static string BodyCrc(ReadOnlySpan<byte> body) => Crc32.HashToUInt32(body).ToString(CultureInfo.InvariantCulture);

    private static bool HasSignatureHeaders(WebhookRequest request) =>
        !string.IsNullOrWhiteSpace(request.Header(TransmissionIdHeader))
        && !string.IsNullOrWhiteSpace(request.Header(TransmissionTimeHeader))
        && !string.IsNullOrWhiteSpace(request.Header(TransmissionSigHeader))
        && !string.IsNullOrWhiteSpace(request.Header(AuthAlgoHeader));

    /// <summary>PayPal names Java's algorithms ("SHA256withRSA"); anything unknown is refused.</summary>
    public static HashAlgorithmName? HashOf(string? authAlgo) => authAlgo?.Trim().ToUpperInvariant() switch
    {
        "SHA256WITHRSA" => HashAlgorithmName.SHA256,
        "SHA384WITHRSA" => HashAlgorithmName.SHA384,
        "SHA512WITHRSA" => HashAlgorithmName.SHA512,
        "SHA1WITHRSA" => HashAlgorithmName.SHA1,
        _ => null,
    };

    private static bool TryFromBase64(string value, out byte[] bytes)
    {
        var buffer = new byte[value.Length];
        if (Convert.TryFromBase64String(value.Trim(), buffer, out var written) && written > 0)
        {
            bytes = buffer[..written];
            return true;
        }
        bytes = [];
        return false;
    }

    private static bool WithinTolerance(string transmissionTime, DateTimeOffset now, int toleranceSeconds) =>
        DateTimeOffset.TryParse(transmissionTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sent)
        && Math.Abs((now - sent).TotalSeconds) <= toleranceSeconds;

    public IEnumerable<string> ValidateOptions(ProviderOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.WebhookId))
        {
            yield return "WebhookId: required for paypal";
        }
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            if (!File.Exists(options.CertificatePath))
            {
                yield return $"CertificatePath: no file at '{options.CertificatePath}'";
            }
            else if (!IsPemCertificate(options.CertificatePath))
            {
                yield return "CertificatePath: not a PEM certificate";
            }
        }
    }

    private static bool IsPemCertificate(string path)
    {
        try
        {
            using var certificate = PayPalCertificateSource.FromPem(File.ReadAllText(path));
            using var key = certificate.GetRSAPublicKey();
            return key is not null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return false;
        }
    }
}
