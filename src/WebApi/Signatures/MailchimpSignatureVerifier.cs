using System.Security.Cryptography;
using System.Text;

namespace Orleans.Webhooks.WebApi.Signatures;

/// <summary>
/// Mailchimp signs nothing: the webhook URL registered with Mailchimp carries <c>?secret=&lt;one of Secrets&gt;</c>.
/// The compare hashes both sides first so that it takes the same time whatever the lengths.
/// </summary>
public sealed class MailchimpSignatureVerifier : ISignatureVerifier
{
    public const string QueryKey = "secret";

    public IReadOnlyList<string> SignatureHeaders(Providers.ProviderOptions options) => ["?" + QueryKey];

    public ValueTask<SignatureResult> VerifyAsync(WebhookRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Verify(request));

    public static SignatureResult Verify(WebhookRequest request)
    {
        var given = request.Query.TryGetValue(QueryKey, out var values) && values.Count > 0 ? values[0] : null;
        if (string.IsNullOrEmpty(given))
        {
            return SignatureResult.MissingSignature;
        }
        var givenHash = SHA256.HashData(Encoding.UTF8.GetBytes(given));
        var matched = false;
        foreach (var secretHash in SecretKeys.Of(request.Options).Sha256)
        {
            matched |= CryptographicOperations.FixedTimeEquals(secretHash, givenHash);
        }
        return matched ? SignatureResult.Valid : SignatureResult.Mismatch;
    }
}
