using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Rejections;

/// <summary>Why a delivery was refused: the check that failed, as stored in the audit and filtered by <c>?reason=</c>.</summary>
public static class RejectionReasons
{
    public const string UnknownProvider = "unknown_provider";
    public const string NetworkNotAllowed = "network_not_allowed";
    public const string TooLarge = "too_large";
    public const string MissingSignature = "missing_signature";
    public const string MalformedSignature = "malformed_signature";
    public const string NoSecretMatched = "no_secret_matched";
    public const string TimestampOutsideTolerance = "timestamp_outside_tolerance";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string InvalidPayload = "invalid_payload";

    /// <summary>Signed and readable, but the database refuses this delivery's data (422).</summary>
    public const string Unstorable = "unstorable";
    public const string ProviderRateLimited = "provider_rate_limited";
    public const string ClientRateLimited = "client_rate_limited";

    public static string Of(SignatureResult result) => result switch
    {
        SignatureResult.MissingSignature => MissingSignature,
        SignatureResult.Malformed => MalformedSignature,
        SignatureResult.OutsideTolerance => TimestampOutsideTolerance,
        _ => NoSecretMatched,
    };
}
