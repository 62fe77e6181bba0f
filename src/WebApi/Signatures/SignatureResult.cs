namespace Orleans.Webhooks.WebApi.Signatures;

public enum SignatureResult
{
    Valid,
    MissingSignature,
    Mismatch,
    /// <summary>The signed timestamp is outside the tolerance window (or not a timestamp).</summary>
    OutsideTolerance,
}
