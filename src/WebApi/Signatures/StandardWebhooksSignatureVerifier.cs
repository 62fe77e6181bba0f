using System.Text;
using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Signatures;

/// <summary>
/// Standard Webhooks (and Svix, its origin): <c>webhook-id</c>, <c>webhook-timestamp</c> and
/// <c>webhook-signature: v1,&lt;base64&gt; [v1,&lt;base64&gt; ...]</c> (or the same headers named <c>svix-*</c>).
/// The signature is HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c> keyed with the base64-decoded part of a
/// <c>whsec_</c> secret; other signature versions are ignored; the timestamp must be within the tolerance.
/// </summary>
public sealed class StandardWebhooksSignatureVerifier(TimeProvider time) : ISignatureVerifier
{
    public const string SecretPrefix = "whsec_";

    private static readonly (string Id, string Timestamp, string Signature)[] HeaderFamilies =
    [
        ("webhook-id", "webhook-timestamp", "webhook-signature"),
        ("svix-id", "svix-timestamp", "svix-signature"),
    ];

    public IReadOnlyList<string> SignatureHeaders(ProviderOptions options) =>
        [.. HeaderFamilies.SelectMany(family => new[] { family.Id, family.Timestamp, family.Signature })];

    public ValueTask<SignatureResult> VerifyAsync(WebhookRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Verify(request, time));

    public static SignatureResult Verify(WebhookRequest request, TimeProvider time)
    {
        if (!TryReadHeaders(request, out var id, out var timestamp, out var signatureHeader))
        {
            return SignatureResult.MissingSignature;
        }
        var signatures = signatureHeader
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split(',', 2))
            .Where(parts => parts.Length == 2 && parts[0] == "v1")
            .Select(parts => parts[1])
            .ToList();
        if (signatures.Count == 0)
        {
            return SignatureResult.Malformed;
        }

        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var signed = new byte[prefix.Length + request.Body.Length];
        prefix.CopyTo(signed, 0);
        request.Body.Span.CopyTo(signed.AsSpan(prefix.Length));

        var matched = false;
        foreach (var key in SecretKeys.Of(request.Options).StandardWebhooks)
        {
            var expected = SignatureCompare.HmacSha256(key, signed);
            foreach (var signature in signatures)
            {
                matched |= SignatureCompare.Base64Equals(expected, signature);
            }
        }
        if (!matched)
        {
            return SignatureResult.Mismatch;
        }
        return SignatureCompare.WithinTolerance(timestamp, time, request.Options.ToleranceSeconds)
            ? SignatureResult.Valid
            : SignatureResult.OutsideTolerance;
    }

    /// <summary>The webhook id header of whichever family (webhook-* or svix-*) the delivery uses.</summary>
    public static string? MessageId(WebhookRequest request) =>
        TryReadHeaders(request, out var id, out _, out _) ? id
        : HeaderFamilies.Select(family => request.Header(family.Id)).FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));

    private static bool TryReadHeaders(WebhookRequest request, out string id, out string timestamp, out string signature)
    {
        foreach (var family in HeaderFamilies)
        {
            if (request.Header(family.Id) is { Length: > 0 } i
                && request.Header(family.Timestamp) is { Length: > 0 } t
                && request.Header(family.Signature) is { Length: > 0 } s)
            {
                (id, timestamp, signature) = (i, t.Trim(), s.Trim());
                return true;
            }
        }
        (id, timestamp, signature) = ("", "", "");
        return false;
    }

    /// <summary>A secret is <c>whsec_</c> followed by the base64 of the key bytes.</summary>
    public static bool TryParseSecret(string? secret, out byte[] key)
    {
        key = [];
        if (secret is null || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal) || secret.Length == SecretPrefix.Length)
        {
            return false;
        }
        var encoded = secret.AsSpan(SecretPrefix.Length);
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64Chars(encoded, buffer, out var written) || written == 0)
        {
            return false;
        }
        key = buffer[..written];
        return true;
    }

    public IEnumerable<string> ValidateOptions(ProviderOptions options)
    {
        for (var i = 0; i < options.Secrets.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(options.Secrets[i]) && !TryParseSecret(options.Secrets[i], out _))
            {
                yield return $"Secrets:{i}: must be '{SecretPrefix}' followed by base64";
            }
        }
    }
}
