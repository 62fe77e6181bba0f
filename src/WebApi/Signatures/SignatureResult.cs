namespace Orleans.Webhooks.WebApi.Signatures;

public enum SignatureResult
{
    Valid,
    MissingSignature,
    Mismatch,
    /// <summary>The signed timestamp is outside the tolerance window (or not a timestamp).</summary>
    OutsideTolerance,
    /// <summary>
    /// The key to check the signature against cannot be had now (the configured PayPal certificate file cannot be read):
    /// nothing says the delivery is forged, so it is answered 503 and the provider retries.
    /// </summary>
    KeyUnavailable,
}
