using System.Security.Cryptography;
using System.Text;

namespace Orleans.Webhooks.WebApi.Signatures;

/// <summary>Helpers shared by the HMAC-based verifiers. Every comparison of a signature is constant-time.</summary>
public static class SignatureCompare
{
    public static byte[] HmacSha256(byte[] key, ReadOnlySpan<byte> data) => HMACSHA256.HashData(key, data);

    /// <summary>
    /// True when the signature (hex, or base64) is the HMAC-SHA256 of the raw body under any of the provider's secrets:
    /// the scheme of hmac, GitHub and Shopify.
    /// </summary>
    public static bool BodyHmacMatches(WebhookRequest request, string signature, bool base64)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        foreach (var key in SecretKeys.Of(request.Options).Utf8)
        {
            HMACSHA256.HashData(key, request.Body.Span, expected);
            if (base64 ? Base64Equals(expected, signature) : HexEquals(expected, signature))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Constant-time compare of a computed MAC with a hex string from a header (case-insensitive hex).</summary>
    public static bool HexEquals(ReadOnlySpan<byte> expected, string? hex)
    {
        if (hex is null || hex.Length != expected.Length * 2)
        {
            return false;
        }
        Span<byte> given = stackalloc byte[expected.Length];
        return Convert.FromHexString(hex, given, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == expected.Length
            && CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Constant-time compare of a computed MAC with a base64 string from a header.</summary>
    public static bool Base64Equals(ReadOnlySpan<byte> expected, string? base64)
    {
        if (base64 is null)
        {
            return false;
        }
        Span<byte> given = stackalloc byte[Math.Max(expected.Length, base64.Length)];
        return Convert.TryFromBase64String(base64, given, out var written)
            && written == expected.Length
            && CryptographicOperations.FixedTimeEquals(expected, given[..written]);
    }

    /// <summary>
    /// Constant-time compare of two strings (secrets carried in a URL, API keys, passwords). Both sides are hashed first
    /// so that the time taken does not even reveal the secret's length.
    /// </summary>
    public static bool TextEquals(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)),
            SHA256.HashData(Encoding.UTF8.GetBytes(given)));

    /// <summary>True when a signed unix timestamp is within the tolerance window, in both directions.</summary>
    public static bool WithinTolerance(string? unixSeconds, TimeProvider time, int toleranceSeconds) =>
        long.TryParse(unixSeconds, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
        && Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - seconds) <= toleranceSeconds;
}
