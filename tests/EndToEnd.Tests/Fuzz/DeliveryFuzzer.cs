using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Orleans.Webhooks.EndToEnd.Tests.Providers;
using static Orleans.Webhooks.EndToEnd.Tests.Fuzz.FuzzJson;

namespace Orleans.Webhooks.EndToEnd.Tests.Fuzz;

/// <summary>
/// Validly signed deliveries for every scheme whose fields are fuzzed: types swapped, null, NUL and other control
/// characters, lone surrogates, 10 kB strings, numbers such as 1e308 and 9007199254740993, nested arrays, ids with / and
/// %; some repeat an earlier delivery's id (a retry), a few carry a NUL in the id. Delivery i comes from a generator
/// seeded by (seed, i) alone, so the same seed makes the same deliveries in any order, and a body can be made again to
/// compare with what was stored.
/// </summary>
public sealed class DeliveryFuzzer(int seed, FuzzSecrets secrets)
{
    /// <summary>Delivery i goes to Providers[i % 7]: delivery i - 7 is of the same scheme (a retry repeats its id).</summary>
    public static readonly string[] Providers = ["stripe", "github", "shopify", "standard-webhooks", "paypal", "mailchimp", "hmac"];

    private static readonly string[] IdSuffixes = ["", "/a/b", "%2F", "%", " sp", "+", "?q=1#f", "..", "%252F", ""];

    private static readonly string[] StripeTypes =
    [
        "payment_intent.succeeded", "payment_intent.payment_failed", "checkout.session.completed", "customer.created",
        "customer.updated", "charge.refunded", "charge.dispute.created", "charge.dispute.closed", "charge.refund.updated", "invoice.paid",
    ];

    private static readonly string[] ShopifyTopics =
    [
        "orders/paid", "orders/create", "customers/create", "customers/update", "refunds/create", "disputes/create", "disputes/update",
        "orders/cancelled", "products/update",
    ];

    private static readonly string[] PayPalTypes =
    [
        "PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.DENIED", "PAYMENT.CAPTURE.REFUNDED", "PAYMENT.SALE.COMPLETED", "PAYMENT.SALE.REFUNDED",
        "CHECKOUT.ORDER.APPROVED", "CUSTOMER.DISPUTE.CREATED", "CUSTOMER.DISPUTE.RESOLVED", "PAYMENT.CAPTURE.REVERSED", "BILLING.PLAN.CREATED",
    ];

    private static readonly string[] SeedTypes = ["payment.completed", "payment.failed", "order.created", "customer.updated", "refund.processed", "other.thing"];

    private static readonly string[] GitHubEvents = ["push", "issues", "ping", "pull_request", "star"];

    private static readonly string[] MailchimpTypes = ["subscribe", "profile", "upemail", "unsubscribe", "cleaned"];

    /// <summary>Form values as sent, already URL-encoded: NUL, invalid UTF-8, a stray %, a 10 kB value, unicode.</summary>
    private static readonly string[] OddFormValues = ["a%00b", "%ED%A0%80x", "%FF%FE", "100%", "%zz", "%E5%90%8D%F0%9F%98%80", "a+b%2Fc", "%0D%0A%09"];

    public FuzzDelivery Make(int index)
    {
        var json = new FuzzJson(new Random(unchecked((seed * 7919) + index)));
        var provider = Providers[index % Providers.Length];
        return provider switch
        {
            "stripe" => Stripe(index, json),
            "github" => GitHub(index, json),
            "shopify" => Shopify(index, json),
            "standard-webhooks" => StandardWebhooks(index, json),
            "paypal" => PayPal(index, json),
            "mailchimp" => Mailchimp(index, json),
            _ => Hmac(index, json),
        };
    }

    private FuzzDelivery Stripe(int index, FuzzJson j)
    {
        var data = Object([
            ("id", j.Field(Quote(ObjectId(j, "pi")))),
            ("object", Quote("payment_intent")),
            ("amount", j.Field(Amount(j))),
            ("amount_refunded", j.Field(Amount(j))),
            ("currency", j.Field(Quote("usd"))),
            ("customer", j.Field(Quote(ObjectId(j, "cus")))),
            ("payment_intent", j.Field(Quote(ObjectId(j, "pi")))),
            ("email", j.Field(Quote("a@example.com"))),
            ("name", j.Field(j.OddString(), 0.6)),
            ("status", j.Field(Quote(j.Pick<string>(["won", "lost", "failed", "succeeded"])))),
            ("payment_status", j.Field(Quote("paid"))),
            ("metadata", j.Value()),
        ]);
        var body = Object([
            ("id", JsonId(j, index, "evt")),
            ("object", Quote("event")),
            ("type", j.Field(Quote(j.Pick(StripeTypes)), 0.15)),
            ("created", j.Field(Epoch(j))),
            ("data", j.Field(Object([("object", data)]), 0.05)),
        ]);
        return Deliver(index, "stripe", body, () => ProviderSigning.Stripe(body, secrets.Stripe));
    }

    private FuzzDelivery GitHub(int index, FuzzJson j)
    {
        var json = Object([
            ("action", j.Field(Quote(j.Pick<string>(["opened", "closed", "created", "deleted"])))),
            ("zen", j.OddString()),
            ("repository", j.Field(Object([("full_name", j.Field(Quote("octo/repo"))), ("id", j.Field("79929171"))]))),
            ("sender", j.Value()),
        ]);
        var form = j.Chance(0.1);
        var body = form ? ProviderSigning.GitHubForm(json) : json;
        var gitHubEvent = j.Pick(GitHubEvents);
        var delivery = HeaderId(j, index, "gh");
        return Deliver(index, "github", body, () => ProviderSigning.GitHub(
            body, secrets.GitHub, gitHubEvent, delivery, form ? "application/x-www-form-urlencoded" : "application/json"));
    }

    private FuzzDelivery Shopify(int index, FuzzJson j)
    {
        var body = Object([
            ("id", j.Field(j.Random.Next(1000).ToString(CultureInfo.InvariantCulture))),
            ("order_id", j.Field(j.Random.Next(1000).ToString(CultureInfo.InvariantCulture))),
            ("total_price", j.Field(Quote(Price(j)))),
            ("currency", j.Field(Quote("EUR"))),
            ("email", j.Field(Quote("s@example.com"))),
            ("first_name", j.OddString()),
            ("financial_status", j.Field(Quote("paid"))),
            ("status", j.Field(Quote(j.Pick<string>(["won", "lost", "needs_response"])))),
            ("customer", j.Field(Object([("id", j.Field(j.Random.Next(1000).ToString(CultureInfo.InvariantCulture))), ("email", j.Field(Quote("c@example.com")))]))),
            ("transactions", j.Field("[" + Object([("amount", j.Field(Quote(Price(j))))]) + "]")),
        ]);
        var topic = j.Pick(ShopifyTopics);
        var webhookId = HeaderId(j, index, "shop");
        return Deliver(index, "shopify", body, () => ProviderSigning.Shopify(body, secrets.Shopify, topic, webhookId));
    }

    private FuzzDelivery StandardWebhooks(int index, FuzzJson j)
    {
        var body = Object([
            ("type", j.Field(Quote(j.Pick(SeedTypes)), 0.15)),
            ("timestamp", j.Field(Quote("2026-12-05T09:00:00Z"))),
            ("data", j.Field(SeedData(j), 0.1)),
        ]);
        var messageId = HeaderId(j, index, "msg");
        return Deliver(index, "standard-webhooks", body, () => ProviderSigning.StandardWebhooks(body, secrets.StandardWebhooks, messageId));
    }

    private FuzzDelivery PayPal(int index, FuzzJson j)
    {
        var resource = Object([
            ("id", j.Field(Quote(ObjectId(j, "CAP")))),
            ("amount", j.Field(Object([("value", j.Field(Quote(Price(j)))), ("currency_code", j.Field(Quote("USD")))]))),
            ("links", j.Field("[" + Object([("rel", j.Field(Quote("up"))), ("href", j.Field(Quote("https://api.paypal.com/v2/payments/captures/" + ObjectId(j, "CAP"))))]) + "]")),
            ("supplementary_data", j.Field(Object([("related_ids", Object([("order_id", j.Field(Quote(ObjectId(j, "ORD"))))]))]))),
            ("sale_id", j.Field(Quote(ObjectId(j, "SALE")))),
            ("status", j.Field(Quote("COMPLETED"))),
            ("payer", j.Value()),
        ]);
        var body = Object([
            ("id", JsonId(j, index, "WH")),
            ("event_type", j.Field(Quote(j.Pick(PayPalTypes)), 0.15)),
            ("create_time", j.Field(Quote("2026-12-05T09:00:00Z"))),
            ("resource", j.Field(resource, 0.05)),
        ]);
        return Deliver(index, "paypal", body, () => ProviderSigning.PayPal(body, secrets.PayPal));
    }

    private FuzzDelivery Mailchimp(int index, FuzzJson j)
    {
        if (index >= Providers.Length && j.Chance(0.05))
        {
            return Mailchimp(index - Providers.Length, new FuzzJson(new Random(unchecked((seed * 7919) + index - Providers.Length)))) with { Index = index };
        }
        var fields = new[]
        {
            ("type", j.Chance(0.1) ? FormValue(j) : j.Pick(MailchimpTypes)),
            ("fired_at", j.Chance(0.2) ? FormValue(j) : "2026-12-05+09%3A00%3A00"),
            ("data[id]", j.Chance(0.3) ? FormValue(j) : Uri.EscapeDataString(ObjectId(j, "mc"))),
            ("data[email]", j.Chance(0.3) ? FormValue(j) : "m%40example.com"),
            ("data[merges][FNAME]", FormValue(j)),
            ("data[list_id]", Uri.EscapeDataString($"list/{index}")),
        };
        var body = string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Item1)}={f.Item2}"));
        return Deliver(index, "mailchimp", body, () => ProviderSigning.Mailchimp(body, secrets.Mailchimp));
    }

    /// <summary>The seed format; one in ten bodies carries bytes that are not UTF-8 inside a string, signed as bytes.</summary>
    private FuzzDelivery Hmac(int index, FuzzJson j)
    {
        var body = Object([
            ("id", JsonId(j, index, "hm")),
            ("type", j.Field(Quote(j.Pick(SeedTypes)), 0.15)),
            ("data", j.Field(SeedData(j), 0.1)),
        ]);
        var bytes = Encoding.UTF8.GetBytes(body);
        if (j.Chance(0.1))
        {
            // Inside the id's string, where the reader meets it first: 0xED 0xA0 0x80 is a UTF-16 surrogate encoded in
            // UTF-8 (invalid), 0xFF is never UTF-8.
            bytes = [.. bytes[..8], 0xED, 0xA0, 0x80, 0xFF, .. bytes[8..]];
        }
        return new FuzzDelivery(index, "hmac", bytes, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/webhook/hmac") { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
            request.Headers.Add("X-Webhook-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secrets.Hmac), bytes)));
            return request;
        });
    }

    private static FuzzDelivery Deliver(int index, string provider, string body, Func<HttpRequestMessage> request) =>
        new(index, provider, Encoding.UTF8.GetBytes(body), request);

    private static string SeedData(FuzzJson j) => Object([
        ("id", j.Field(Quote(ObjectId(j, "obj")))),
        ("amount", j.Field(Amount(j))),
        ("currency", j.Field(Quote(j.Pick<string>(["usd", "jpy", "eur", "xxx"])))),
        ("customer", j.Field(Quote(ObjectId(j, "cus")))),
        ("payment", j.Field(Quote(ObjectId(j, "obj")))),
        ("order", j.Field(Quote(ObjectId(j, "ord")))),
        ("name", j.OddString()),
        ("email", j.Field(Quote("h@example.com"))),
    ]);

    /// <summary>The event id in a JSON body: usually this delivery's own, sometimes an earlier one's (a retry), a NUL in it, or no string at all.</summary>
    private string JsonId(FuzzJson j, int index, string prefix) => j.Random.Next(100) switch
    {
        < 5 when index >= Providers.Length => Quote(IdOf(index - Providers.Length, prefix)),
        < 8 => Quote(IdOf(index, prefix) + "\0"),
        < 13 => j.Value(1),
        _ => Quote(IdOf(index, prefix)),
    };

    /// <summary>The event id in a header (ASCII: headers carry no NUL): this delivery's own, or an earlier one's.</summary>
    private string HeaderId(FuzzJson j, int index, string prefix) =>
        index >= Providers.Length && j.Chance(0.05) ? IdOf(index - Providers.Length, prefix) : IdOf(index, prefix);

    private string IdOf(int index, string prefix) => $"{prefix}_{seed}_{index}{IdSuffixes[index / Providers.Length % IdSuffixes.Length]}";

    /// <summary>Ids of the objects events are about, from a small set so that events of one object meet in its grain.</summary>
    private static string ObjectId(FuzzJson j, string prefix) => $"{prefix}_{j.Random.Next(300)}{(j.Chance(0.1) ? "/x%2F" : "")}";

    private static string Amount(FuzzJson j) => j.Random.Next(100_000).ToString(CultureInfo.InvariantCulture);

    private static string Price(FuzzJson j) => (j.Random.Next(100_000) / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Epoch(FuzzJson j) => (1_764_900_000 + j.Random.Next(1_000_000)).ToString(CultureInfo.InvariantCulture);

    private static string FormValue(FuzzJson j) => j.Random.Next(4) switch
    {
        0 => j.Pick(OddFormValues),
        1 => Uri.EscapeDataString(new string('m', 10_240)),
        2 => Uri.EscapeDataString("Zoë 名前 😀 " + (char)j.Random.Next(1, 32)),
        _ => Uri.EscapeDataString($"value {j.Random.Next(1000)}"),
    };
}
