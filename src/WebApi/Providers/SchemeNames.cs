namespace Orleans.Webhooks.WebApi.Providers;

public static class SchemeNames
{
    public const string Stripe = "stripe";
    public const string GitHub = "github";
    public const string Shopify = "shopify";
    public const string PayPal = "paypal";
    public const string Mailchimp = "mailchimp";
    public const string StandardWebhooks = "standard-webhooks";
    public const string Hmac = "hmac";
}
