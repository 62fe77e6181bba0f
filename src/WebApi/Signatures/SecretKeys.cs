using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Signatures;

/// <summary>
/// A provider's secrets in the forms the verifiers key their MACs with, prepared once per options instance instead of
/// once per delivery. A configuration reload (a rotated secret) binds new options and so gets new keys; a secrets list
/// changed in place is noticed too, since the keys remember the secrets they were made from.
/// </summary>
public sealed class SecretKeys
{
    private static readonly ConditionalWeakTable<ProviderOptions, SecretKeys> Prepared = [];

    private readonly string[] _secrets;

    private SecretKeys(List<string> secrets)
    {
        _secrets = [.. secrets];
        Utf8 = [.. _secrets.Select(Encoding.UTF8.GetBytes)];
        Sha256 = [.. Utf8.Select(SHA256.HashData)];
        StandardWebhooks = [.. _secrets.Select(s => StandardWebhooksSignatureVerifier.TryParseSecret(s, out var key) ? key : null).OfType<byte[]>()];
    }

    /// <summary>Each secret's UTF-8 bytes: the HMAC key of the hmac, GitHub, Shopify and Stripe schemes.</summary>
    public IReadOnlyList<byte[]> Utf8 { get; }

    /// <summary>The SHA-256 of each secret's UTF-8 bytes, for a compare that takes the same time whatever the lengths (Mailchimp).</summary>
    public IReadOnlyList<byte[]> Sha256 { get; }

    /// <summary>The key bytes of each <c>whsec_</c> secret (Standard Webhooks); secrets that are not one are left out (reported at start).</summary>
    public IReadOnlyList<byte[]> StandardWebhooks { get; }

    public static SecretKeys Of(ProviderOptions options)
    {
        if (Prepared.TryGetValue(options, out var keys) && keys.MadeFrom(options.Secrets))
        {
            return keys;
        }
        keys = new SecretKeys(options.Secrets);
        Prepared.AddOrUpdate(options, keys);
        return keys;
    }

    /// <summary>Neither side is a caller's input, so an ordinary compare is safe here.</summary>
    private bool MadeFrom(List<string> secrets)
    {
        if (secrets.Count != _secrets.Length)
        {
            return false;
        }
        for (var i = 0; i < _secrets.Length; i++)
        {
            if (!string.Equals(secrets[i], _secrets[i], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }
}
