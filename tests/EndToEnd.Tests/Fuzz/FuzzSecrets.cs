using System.Security.Cryptography;

namespace Orleans.Webhooks.EndToEnd.Tests.Fuzz;

/// <summary>The secrets and the PayPal key the fuzzed deliveries are signed with, as the service is configured.</summary>
public sealed record FuzzSecrets(string Stripe, string GitHub, string Shopify, string StandardWebhooks, RSA PayPal, string Mailchimp, string Hmac);
