namespace Orleans.Webhooks.WebApi.Signatures;

public enum SignatureResult
{
    Valid,
    /// <summary>The signature header (or the secret in the URL) is not there.</summary>
    MissingSignature,
    /// <summary>Well-formed, but no configured secret (or key) produces it.</summary>
    Mismatch,
    /// <summary>The signed timestamp is outside the tolerance window (or not a timestamp).</summary>
    OutsideTolerance,
    /// <summary>
    /// The key to check the signature against cannot be had now (the configured PayPal certificate file cannot be read):
    /// nothing says the delivery is forged, so it is answered 503 and the provider retries.
    /// </summary>
    KeyUnavailable,
    /// <summary>
    /// The signature header is there but cannot be read for the scheme (no <c>t=</c> or <c>v1=</c>, a missing prefix, no
    /// known version, not base64, an unknown algorithm): a sender configured for another scheme, or a broken client.
    /// </summary>
    Malformed,
}
