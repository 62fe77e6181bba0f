using System.Text;
using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Signatures;

/// <summary>
/// Stripe: <c>Stripe-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;[,v1=...]</c>, HMAC-SHA256 of <c>{t}.{body}</c> keyed with the
/// endpoint secret's UTF-8 bytes, <c>whsec_</c> prefix included. Any v1 may match (Stripe sends one per active secret
/// while a secret is being rolled); v0 and unknown schemes are ignored. The timestamp must be within the tolerance.
/// </summary>
public sealed class StripeSignatureVerifier(TimeProvider time) : ISignatureVerifier
{
    public const string Header = "Stripe-Signature";

    public IReadOnlyList<string> SignatureHeaders(ProviderOptions options) => [Header];

    public ValueTask<SignatureResult> VerifyAsync(WebhookRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Verify(request, time));

    public static SignatureResult Verify(WebhookRequest request, TimeProvider time)
    {
        var header = request.Header(Header);
        if (string.IsNullOrWhiteSpace(header))
        {
            return SignatureResult.MissingSignature;
        }
        string? timestamp = null;
        var signatures = new List<string>();
        foreach (var item in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = item.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2)
            {
                continue;
            }
            switch (pair[0])
            {
                case "t":
                    timestamp = pair[1];
                    break;
                case "v1":
                    signatures.Add(pair[1]);
                    break;
            }
        }
        if (timestamp is null || signatures.Count == 0)
        {
            return SignatureResult.Malformed;
        }

        var signed = SignedPayload(timestamp, request.Body.Span);
        if (!AnyMatches(SecretKeys.Of(request.Options).Utf8, signed, signatures))
        {
            return SignatureResult.Mismatch;
        }
        // Checked after the signature, so that an unauthenticated caller learns nothing about the window.
        return SignatureCompare.WithinTolerance(timestamp, time, request.Options.ToleranceSeconds)
            ? SignatureResult.Valid
            : SignatureResult.OutsideTolerance;
    }

    private static byte[] SignedPayload(string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return signed;
    }

    private static bool AnyMatches(IEnumerable<byte[]> keys, byte[] signed, List<string> signatures)
    {
        var matched = false;
        foreach (var key in keys)
        {
            var expected = SignatureCompare.HmacSha256(key, signed);
            foreach (var signature in signatures)
            {
                matched |= SignatureCompare.HexEquals(expected, signature);
            }
        }
        return matched;
    }
}
