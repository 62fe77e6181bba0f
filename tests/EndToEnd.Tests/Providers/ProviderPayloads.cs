using System.Globalization;

namespace Orleans.Webhooks.EndToEnd.Tests.Providers;

/// <summary>
/// Deliveries modelled on each provider's documented example payloads (Stripe's event objects, Shopify's webhook
/// examples, PayPal's event samples, Mailchimp's form posts, GitHub's push and issues events), with the ids, amounts and
/// people given by the test so that every run uses fresh objects.
/// </summary>
public static class ProviderPayloads
{
    public static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    /// <summary>A Shopify-style numeric id (a 64-bit integer), different in every run.</summary>
    public static long NewNumericId() => Random.Shared.NextInt64(1_000_000_000_000_000, 9_000_000_000_000_000_000);

    /// <summary>A PayPal-style id: 17 upper-case letters and digits.</summary>
    public static string NewPayPalId() => Guid.NewGuid().ToString("N")[..17].ToUpperInvariant();

    private static long Unix(DateTimeOffset? at) => (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();

    private static string Iso(DateTimeOffset? at) => (at ?? DateTimeOffset.UtcNow).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // ----- Stripe: an Event whose data.object is the API object; amounts in minor units -----

    private static string StripeEvent(string eventId, string type, string dataObject, long created, string previousAttributes = "") => $$"""
        {
          "id": "{{eventId}}",
          "object": "event",
          "api_version": "2024-06-20",
          "created": {{created}},
          "data": {
            "object": {{dataObject}}{{(previousAttributes.Length == 0 ? "" : $",\n    \"previous_attributes\": {previousAttributes}")}}
          },
          "livemode": false,
          "pending_webhooks": 1,
          "request": {
            "id": "req_{{Guid.NewGuid():N}}",
            "idempotency_key": "{{Guid.NewGuid()}}"
          },
          "type": "{{type}}"
        }
        """;

    public static string StripePaymentIntent(
        string eventId, string type, string paymentIntentId, long amount, string currency, string customerId,
        string status = "succeeded", string orderId = "", DateTimeOffset? at = null)
    {
        var succeeded = status == "succeeded";
        var lastError = succeeded ? "null" : $$"""
            {
                  "charge": "ch_{{Guid.NewGuid():N}}",
                  "code": "card_declined",
                  "decline_code": "insufficient_funds",
                  "doc_url": "https://stripe.com/docs/error-codes/card-declined",
                  "message": "Your card has insufficient funds.",
                  "type": "card_error"
                }
            """;
        var intent = $$"""
            {
                  "id": "{{paymentIntentId}}",
                  "object": "payment_intent",
                  "amount": {{amount}},
                  "amount_capturable": 0,
                  "amount_details": { "tip": {} },
                  "amount_received": {{(succeeded ? amount : 0)}},
                  "application": null,
                  "application_fee_amount": null,
                  "automatic_payment_methods": { "allow_redirects": "always", "enabled": true },
                  "canceled_at": null,
                  "cancellation_reason": null,
                  "capture_method": "automatic_async",
                  "client_secret": "{{paymentIntentId}}_secret_{{Guid.NewGuid():N}}",
                  "confirmation_method": "automatic",
                  "created": {{Unix(at) - 3}},
                  "currency": "{{currency}}",
                  "customer": "{{customerId}}",
                  "description": null,
                  "last_payment_error": {{lastError}},
                  "latest_charge": "ch_{{Guid.NewGuid():N}}",
                  "livemode": false,
                  "metadata": {{(orderId.Length == 0 ? "{}" : $$"""{ "order_id": "{{orderId}}" }""")}},
                  "next_action": null,
                  "on_behalf_of": null,
                  "payment_method": "pm_{{Guid.NewGuid():N}}",
                  "payment_method_options": { "card": { "installments": null, "mandate_options": null, "network": null, "request_three_d_secure": "automatic" } },
                  "payment_method_types": ["card"],
                  "processing": null,
                  "receipt_email": null,
                  "review": null,
                  "setup_future_usage": null,
                  "shipping": null,
                  "source": null,
                  "statement_descriptor": null,
                  "statement_descriptor_suffix": null,
                  "status": "{{status}}",
                  "transfer_data": null,
                  "transfer_group": null
                }
            """;
        return StripeEvent(eventId, type, intent, Unix(at));
    }

    /// <summary>charge.refunded: the charge, whose amount_refunded is the total refunded so far over all its refunds.</summary>
    public static string StripeChargeRefunded(
        string eventId, string chargeId, string paymentIntentId, long amount, long amountRefunded, string currency, string customerId, DateTimeOffset? at = null)
    {
        var charge = $$"""
            {
                  "id": "{{chargeId}}",
                  "object": "charge",
                  "amount": {{amount}},
                  "amount_captured": {{amount}},
                  "amount_refunded": {{amountRefunded}},
                  "application": null,
                  "balance_transaction": "txn_{{Guid.NewGuid():N}}",
                  "billing_details": { "address": { "city": null, "country": "US", "line1": null, "line2": null, "postal_code": "94107", "state": null }, "email": null, "name": null, "phone": null },
                  "calculated_statement_descriptor": "E2E STORE",
                  "captured": true,
                  "created": {{Unix(at) - 3600}},
                  "currency": "{{currency}}",
                  "customer": "{{customerId}}",
                  "description": null,
                  "disputed": false,
                  "failure_code": null,
                  "failure_message": null,
                  "livemode": false,
                  "metadata": {},
                  "outcome": { "network_status": "approved_by_network", "reason": null, "risk_level": "normal", "seller_message": "Payment complete.", "type": "authorized" },
                  "paid": true,
                  "payment_intent": "{{paymentIntentId}}",
                  "payment_method": "pm_{{Guid.NewGuid():N}}",
                  "payment_method_details": { "card": { "brand": "visa", "country": "US", "exp_month": 8, "exp_year": 2030, "funding": "credit", "last4": "4242" }, "type": "card" },
                  "receipt_url": "https://pay.stripe.com/receipts/payment/{{Guid.NewGuid():N}}",
                  "refunded": {{(amountRefunded >= amount ? "true" : "false")}},
                  "status": "succeeded"
                }
            """;
        return StripeEvent(eventId, "charge.refunded", charge, Unix(at), """{ "amount_refunded": 0, "refunded": false }""");
    }

    public static string StripeCheckoutSessionCompleted(
        string eventId, string sessionId, long amountTotal, string currency, string customerId, string email, string? paymentIntentId = null, DateTimeOffset? at = null)
    {
        var session = $$"""
            {
                  "id": "{{sessionId}}",
                  "object": "checkout.session",
                  "after_expiration": null,
                  "allow_promotion_codes": null,
                  "amount_subtotal": {{amountTotal}},
                  "amount_total": {{amountTotal}},
                  "automatic_tax": { "enabled": false, "liability": null, "status": null },
                  "billing_address_collection": null,
                  "cancel_url": "https://example.com/cancel",
                  "client_reference_id": null,
                  "created": {{Unix(null) - 60}},
                  "currency": "{{currency}}",
                  "customer": "{{customerId}}",
                  "customer_creation": "always",
                  "customer_details": { "email": "{{email}}", "name": "Jenny Rosen", "phone": null, "tax_exempt": "none", "tax_ids": [] },
                  "customer_email": null,
                  "expires_at": {{Unix(null) + 86_400}},
                  "livemode": false,
                  "locale": null,
                  "metadata": {},
                  "mode": "payment",
                  "payment_intent": "{{paymentIntentId ?? $"pi_{Guid.NewGuid():N}"}}",
                  "payment_method_types": ["card"],
                  "payment_status": "paid",
                  "status": "complete",
                  "submit_type": null,
                  "success_url": "https://example.com/success",
                  "total_details": { "amount_discount": 0, "amount_shipping": 0, "amount_tax": 0 },
                  "url": null
                }
            """;
        return StripeEvent(eventId, "checkout.session.completed", session, Unix(at));
    }

    public static string StripeCustomer(string eventId, string type, string customerId, string email, string name, DateTimeOffset? at = null)
    {
        var customer = $$"""
            {
                  "id": "{{customerId}}",
                  "object": "customer",
                  "address": null,
                  "balance": 0,
                  "created": {{Unix(at) - 86_400}},
                  "currency": null,
                  "default_source": null,
                  "delinquent": false,
                  "description": null,
                  "discount": null,
                  "email": "{{email}}",
                  "invoice_prefix": "7D0B12E0",
                  "invoice_settings": { "custom_fields": null, "default_payment_method": null, "footer": null, "rendering_options": null },
                  "livemode": false,
                  "metadata": {},
                  "name": "{{name}}",
                  "next_invoice_sequence": 1,
                  "phone": null,
                  "preferred_locales": [],
                  "shipping": null,
                  "tax_exempt": "none",
                  "test_clock": null
                }
            """;
        return StripeEvent(eventId, type, customer, Unix(at), type == "customer.updated" ? """{ "email": "previous@example.com" }""" : "");
    }

    public static string StripeInvoicePaid(string eventId, string invoiceId, long amount, string currency, string customerId)
    {
        var invoice = $$"""
            {
                  "id": "{{invoiceId}}",
                  "object": "invoice",
                  "account_country": "US",
                  "account_name": "E2E Store",
                  "amount_due": {{amount}},
                  "amount_paid": {{amount}},
                  "amount_remaining": 0,
                  "attempt_count": 1,
                  "attempted": true,
                  "billing_reason": "subscription_cycle",
                  "collection_method": "charge_automatically",
                  "created": {{Unix(null) - 3600}},
                  "currency": "{{currency}}",
                  "customer": "{{customerId}}",
                  "customer_email": "jenny.rosen@example.com",
                  "customer_name": "Jenny Rosen",
                  "hosted_invoice_url": "https://invoice.stripe.com/i/acct_1/test_{{Guid.NewGuid():N}}",
                  "livemode": false,
                  "metadata": {},
                  "number": "7D0B12E0-0001",
                  "paid": true,
                  "payment_intent": "pi_{{Guid.NewGuid():N}}",
                  "period_end": {{Unix(null)}},
                  "period_start": {{Unix(null) - 2_592_000}},
                  "status": "paid",
                  "subscription": "sub_{{Guid.NewGuid():N}}",
                  "subtotal": {{amount}},
                  "tax": null,
                  "total": {{amount}}
                }
            """;
        return StripeEvent(eventId, "invoice.paid", invoice, Unix(null));
    }

    // ----- Shopify: the body is the resource itself; amounts are decimal strings in major units -----

    public static string ShopifyOrder(long orderId, string totalPrice, string currency, long customerId, string email, string financialStatus) => $$"""
        {
          "id": {{orderId}},
          "admin_graphql_api_id": "gid://shopify/Order/{{orderId}}",
          "app_id": null,
          "browser_ip": null,
          "buyer_accepts_marketing": true,
          "cancel_reason": null,
          "cancelled_at": null,
          "cart_token": null,
          "checkout_id": null,
          "checkout_token": null,
          "confirmation_number": "A1B2C3D4E",
          "confirmed": true,
          "contact_email": "{{email}}",
          "created_at": "{{DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}",
          "currency": "{{currency}}",
          "current_subtotal_price": "{{totalPrice}}",
          "current_total_price": "{{totalPrice}}",
          "current_total_tax": "0.00",
          "customer_locale": "en",
          "email": "{{email}}",
          "estimated_taxes": false,
          "financial_status": "{{financialStatus}}",
          "fulfillment_status": null,
          "name": "#9999",
          "note": null,
          "order_number": 1234,
          "presentment_currency": "{{currency}}",
          "processed_at": "{{DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}",
          "subtotal_price": "{{totalPrice}}",
          "tags": "tag1, tag2",
          "test": true,
          "total_discounts": "0.00",
          "total_line_items_price": "{{totalPrice}}",
          "total_price": "{{totalPrice}}",
          "total_price_set": {
            "shop_money": { "amount": "{{totalPrice}}", "currency_code": "{{currency}}" },
            "presentment_money": { "amount": "{{totalPrice}}", "currency_code": "{{currency}}" }
          },
          "total_tax": "0.00",
          "total_weight": 0,
          "updated_at": "{{DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}",
          "user_id": null,
          "billing_address": { "first_name": "Steve", "address1": "123 Shipping Street", "phone": "555-555-SHIP", "city": "Shippington", "zip": "40003", "province": "Kentucky", "country": "United States", "last_name": "Shipper", "country_code": "US", "province_code": "KY" },
          "customer": {
            "id": {{customerId}},
            "email": "{{email}}",
            "created_at": null,
            "updated_at": null,
            "first_name": "John",
            "last_name": "Smith",
            "state": "disabled",
            "note": null,
            "verified_email": true,
            "tax_exempt": false,
            "currency": "{{currency}}",
            "admin_graphql_api_id": "gid://shopify/Customer/{{customerId}}"
          },
          "line_items": [
            {
              "id": {{NewNumericId()}},
              "admin_graphql_api_id": "gid://shopify/LineItem/1",
              "fulfillable_quantity": 1,
              "gift_card": false,
              "grams": 100,
              "name": "Aviator sunglasses",
              "price": "{{totalPrice}}",
              "product_exists": true,
              "product_id": 788032119674292922,
              "quantity": 1,
              "requires_shipping": true,
              "sku": "SKU2006-001",
              "taxable": true,
              "title": "Aviator sunglasses",
              "total_discount": "0.00",
              "variant_id": null,
              "vendor": null,
              "tax_lines": [],
              "duties": [],
              "discount_allocations": []
            }
          ],
          "refunds": [],
          "shipping_lines": []
        }
        """;

    /// <summary>A refund transaction as Shopify lists it in refunds/create.</summary>
    public static string ShopifyRefundTransaction(long orderId, string amount, string currency, string gateway, string status = "success") => $$"""
        {
          "id": {{NewNumericId()}},
          "order_id": {{orderId}},
          "kind": "refund",
          "gateway": "{{gateway}}",
          "status": "{{status}}",
          "message": "{{(status == "success" ? "Refund completed" : "Refund declined")}}",
          "created_at": "{{DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}",
          "test": true,
          "authorization": null,
          "location_id": null,
          "user_id": null,
          "parent_id": {{NewNumericId()}},
          "processed_at": "{{DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}",
          "device_id": null,
          "error_code": null,
          "source_name": "web",
          "receipt": {},
          "amount": "{{amount}}",
          "currency": "{{currency}}",
          "payment_id": "#9999.2",
          "manual_payment_gateway": false,
          "admin_graphql_api_id": "gid://shopify/OrderTransaction/1"
        }
        """;

    public static string ShopifyRefund(long refundId, long orderId, string lineItemSubtotal, string currency, params string[] transactions) => $$"""
        {
          "id": {{refundId}},
          "order_id": {{orderId}},
          "created_at": "{{DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}",
          "note": "Things were damaged",
          "user_id": 548380009,
          "processed_at": "{{DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}",
          "restock": false,
          "duties": [],
          "total_duties_set": {
            "shop_money": { "amount": "0.00", "currency_code": "{{currency}}" },
            "presentment_money": { "amount": "0.00", "currency_code": "{{currency}}" }
          },
          "additional_fees": [],
          "return": null,
          "admin_graphql_api_id": "gid://shopify/Refund/{{refundId}}",
          "refund_line_items": [
            {
              "id": {{NewNumericId()}},
              "quantity": 1,
              "line_item_id": 487817672276298554,
              "location_id": null,
              "restock_type": "no_restock",
              "subtotal": {{lineItemSubtotal}},
              "total_tax": 0.0,
              "subtotal_set": {
                "shop_money": { "amount": "{{lineItemSubtotal}}", "currency_code": "{{currency}}" },
                "presentment_money": { "amount": "{{lineItemSubtotal}}", "currency_code": "{{currency}}" }
              },
              "total_tax_set": {
                "shop_money": { "amount": "0.00", "currency_code": "{{currency}}" },
                "presentment_money": { "amount": "0.00", "currency_code": "{{currency}}" }
              },
              "line_item": { "id": 487817672276298554, "name": "Aviator sunglasses", "price": "{{lineItemSubtotal}}", "quantity": 1, "sku": "SKU2006-001", "title": "Aviator sunglasses" }
            }
          ],
          "transactions": [{{string.Join(",", transactions)}}],
          "order_adjustments": []
        }
        """;

    public static string ShopifyCustomer(long customerId, string email, string firstName, string lastName) => $$"""
        {
          "id": {{customerId}},
          "email": "{{email}}",
          "created_at": "{{DateTimeOffset.UtcNow.AddDays(-30).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}",
          "updated_at": "{{DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}",
          "first_name": "{{firstName}}",
          "last_name": "{{lastName}}",
          "orders_count": 0,
          "state": "disabled",
          "total_spent": "0.00",
          "last_order_id": null,
          "note": "This customer loves ice cream",
          "verified_email": true,
          "multipass_identifier": null,
          "tax_exempt": false,
          "tags": "",
          "last_order_name": null,
          "currency": "USD",
          "phone": null,
          "addresses": [],
          "tax_exemptions": [],
          "email_marketing_consent": null,
          "sms_marketing_consent": null,
          "admin_graphql_api_id": "gid://shopify/Customer/{{customerId}}"
        }
        """;

    // ----- PayPal: {id, event_type, resource_type, resource}; amounts {value, currency_code} in major units -----

    private static string PayPalEvent(string eventId, string eventType, string resourceType, string summary, string resource) => $$"""
        {
          "id": "{{eventId}}",
          "event_version": "1.0",
          "create_time": "{{Iso(null)}}",
          "resource_type": "{{resourceType}}",
          "resource_version": "2.0",
          "event_type": "{{eventType}}",
          "summary": "{{summary}}",
          "resource": {{resource}},
          "links": [
            { "href": "https://api.paypal.com/v1/notifications/webhooks-events/{{eventId}}", "rel": "self", "method": "GET" },
            { "href": "https://api.paypal.com/v1/notifications/webhooks-events/{{eventId}}/resend", "rel": "resend", "method": "POST" }
          ]
        }
        """;

    public static string NewPayPalEventId() => $"WH-{NewPayPalId()}-{NewPayPalId()}";

    /// <summary>PAYMENT.CAPTURE.COMPLETED (status COMPLETED) or PAYMENT.CAPTURE.DENIED (status DECLINED).</summary>
    public static string PayPalCapture(string eventId, string eventType, string captureId, string value, string currency, string orderId)
    {
        var completed = eventType == "PAYMENT.CAPTURE.COMPLETED";
        var resource = $$"""
            {
                "id": "{{captureId}}",
                "amount": { "currency_code": "{{currency}}", "value": "{{value}}" },
                "final_capture": true,
                "seller_protection": { "status": "ELIGIBLE", "dispute_categories": ["ITEM_NOT_RECEIVED", "UNAUTHORIZED_TRANSACTION"] },
                "seller_receivable_breakdown": {
                  "gross_amount": { "currency_code": "{{currency}}", "value": "{{value}}" },
                  "paypal_fee": { "currency_code": "{{currency}}", "value": "0.73" },
                  "net_amount": { "currency_code": "{{currency}}", "value": "{{value}}" }
                },
                "supplementary_data": { "related_ids": { "order_id": "{{orderId}}" } },
                "status": "{{(completed ? "COMPLETED" : "DECLINED")}}",
                "create_time": "{{Iso(null)}}",
                "update_time": "{{Iso(null)}}",
                "links": [
                  { "href": "https://api.paypal.com/v2/payments/captures/{{captureId}}", "rel": "self", "method": "GET" },
                  { "href": "https://api.paypal.com/v2/payments/captures/{{captureId}}/refund", "rel": "refund", "method": "POST" },
                  { "href": "https://api.paypal.com/v2/checkout/orders/{{orderId}}", "rel": "up", "method": "GET" }
                ]
              }
            """;
        var summary = completed ? $"Payment completed for $ {value} {currency}" : $"A ${value} {currency} capture payment was denied";
        return PayPalEvent(eventId, eventType, "capture", summary, resource);
    }

    /// <summary>PAYMENT.CAPTURE.REFUNDED: the refund names its capture only through the links entry with rel "up".</summary>
    public static string PayPalRefund(string eventId, string refundId, string captureId, string value, string currency)
    {
        var resource = $$"""
            {
                "seller_payable_breakdown": {
                  "gross_amount": { "currency_code": "{{currency}}", "value": "{{value}}" },
                  "paypal_fee": { "currency_code": "{{currency}}", "value": "0.00" },
                  "net_amount": { "currency_code": "{{currency}}", "value": "{{value}}" },
                  "total_refunded_amount": { "currency_code": "{{currency}}", "value": "{{value}}" }
                },
                "amount": { "currency_code": "{{currency}}", "value": "{{value}}" },
                "update_time": "{{Iso(null)}}",
                "create_time": "{{Iso(null)}}",
                "links": [
                  { "href": "https://api.paypal.com/v2/payments/refunds/{{refundId}}", "rel": "self", "method": "GET" },
                  { "href": "https://api.paypal.com/v2/payments/captures/{{captureId}}", "rel": "up", "method": "GET" }
                ],
                "id": "{{refundId}}",
                "status": "COMPLETED"
              }
            """;
        return PayPalEvent(eventId, "PAYMENT.CAPTURE.REFUNDED", "refund", $"A $ {value} {currency} capture payment was refunded", resource);
    }

    public static string PayPalOrderApproved(string eventId, string orderId, string value, string currency, string payerId, string email)
    {
        var resource = $$"""
            {
                "create_time": "{{Iso(null)}}",
                "purchase_units": [
                  {
                    "reference_id": "default",
                    "amount": { "currency_code": "{{currency}}", "value": "{{value}}" },
                    "payee": { "email_address": "sb-merchant@business.example.com", "merchant_id": "645WT4RL28AL2" },
                    "description": "laptop",
                    "shipping": {
                      "name": { "full_name": "John Doe" },
                      "address": { "address_line_1": "1 Main St", "admin_area_2": "San Jose", "admin_area_1": "CA", "postal_code": "95131", "country_code": "US" }
                    }
                  }
                ],
                "links": [
                  { "href": "https://api.paypal.com/v2/checkout/orders/{{orderId}}", "rel": "self", "method": "GET" },
                  { "href": "https://api.paypal.com/v2/checkout/orders/{{orderId}}", "rel": "update", "method": "PATCH" },
                  { "href": "https://api.paypal.com/v2/checkout/orders/{{orderId}}/capture", "rel": "capture", "method": "POST" }
                ],
                "id": "{{orderId}}",
                "payment_source": { "paypal": {} },
                "intent": "CAPTURE",
                "payer": {
                  "name": { "given_name": "John", "surname": "Doe" },
                  "email_address": "{{email}}",
                  "payer_id": "{{payerId}}",
                  "address": { "country_code": "US" }
                },
                "status": "APPROVED"
              }
            """;
        return PayPalEvent(eventId, "CHECKOUT.ORDER.APPROVED", "checkout-order", "An order has been approved by buyer", resource);
    }

    // ----- Mailchimp: form posts with PHP-style keys -----

    private static string FiredAt(DateTimeOffset? at = null) => (at ?? DateTimeOffset.UtcNow).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>subscribe or profile: the member's id, email and merge fields.</summary>
    public static string MailchimpMember(string type, string memberId, string listId, string email, string firstName, string lastName, DateTimeOffset? firedAt = null) =>
        ProviderSigning.FormBody(
            ("type", type),
            ("fired_at", FiredAt(firedAt)),
            ("data[id]", memberId),
            ("data[list_id]", listId),
            ("data[email]", email),
            ("data[email_type]", "html"),
            ("data[web_id]", Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture)),
            ("data[ip_opt]", "10.20.10.30"),
            ("data[ip_signup]", "10.20.10.30"),
            ("data[merges][EMAIL]", email),
            ("data[merges][FNAME]", firstName),
            ("data[merges][LNAME]", lastName),
            ("data[merges][INTERESTS]", "Group1,Group2"));

    /// <summary>upemail: the member's new id and email.</summary>
    public static string MailchimpEmailChanged(string newMemberId, string listId, string oldEmail, string newEmail) =>
        ProviderSigning.FormBody(
            ("type", "upemail"),
            ("fired_at", FiredAt()),
            ("data[list_id]", listId),
            ("data[new_id]", newMemberId),
            ("data[new_email]", newEmail),
            ("data[old_email]", oldEmail));

    // ----- GitHub -----

    private static string GitHubRepository(string repository) => $$"""
        {
            "id": 186853002,
            "node_id": "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=",
            "name": "{{repository.Split('/')[1]}}",
            "full_name": "{{repository}}",
            "private": false,
            "owner": { "login": "{{repository.Split('/')[0]}}", "id": 21031067, "type": "User", "site_admin": false },
            "html_url": "https://github.com/{{repository}}",
            "description": null,
            "fork": false,
            "url": "https://api.github.com/repos/{{repository}}",
            "default_branch": "main",
            "visibility": "public"
          }
        """;

    private const string GitHubSender = """{ "login": "Codertocat", "id": 21031067, "node_id": "MDQ6VXNlcjIxMDMxMDY3", "type": "User", "site_admin": false }""";

    public static string GitHubIssuesOpened(string repository, int number) => $$"""
        {
          "action": "opened",
          "issue": {
            "url": "https://api.github.com/repos/{{repository}}/issues/{{number}}",
            "html_url": "https://github.com/{{repository}}/issues/{{number}}",
            "id": {{NewNumericId() % 1_000_000_000}},
            "number": {{number}},
            "title": "Spelling error in the README file",
            "user": {{GitHubSender}},
            "labels": [],
            "state": "open",
            "locked": false,
            "assignee": null,
            "assignees": [],
            "comments": 0,
            "created_at": "{{Iso(null)}}",
            "updated_at": "{{Iso(null)}}",
            "closed_at": null,
            "author_association": "OWNER",
            "body": "It looks like you accidently spelled 'commit' with two 't's."
          },
          "repository": {{GitHubRepository(repository)}},
          "sender": {{GitHubSender}}
        }
        """;

    public static string GitHubPush(string repository, string after) => $$"""
        {
          "ref": "refs/heads/main",
          "before": "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
          "after": "{{after}}",
          "created": false,
          "deleted": false,
          "forced": false,
          "base_ref": null,
          "compare": "https://github.com/{{repository}}/compare/6113728f27ae...{{after[..12]}}",
          "commits": [
            {
              "id": "{{after}}",
              "tree_id": "f9d2a07e9488b91af2641b26b9407fe22a451433",
              "distinct": true,
              "message": "Update README.md",
              "timestamp": "{{Iso(null)}}",
              "url": "https://github.com/{{repository}}/commit/{{after}}",
              "author": { "name": "Codertocat", "email": "21031067+Codertocat@users.noreply.github.com", "username": "Codertocat" },
              "committer": { "name": "GitHub", "email": "noreply@github.com", "username": "web-flow" },
              "added": [],
              "removed": [],
              "modified": ["README.md"]
            }
          ],
          "head_commit": null,
          "repository": {{GitHubRepository(repository)}},
          "pusher": { "name": "Codertocat", "email": "21031067+Codertocat@users.noreply.github.com" },
          "sender": {{GitHubSender}}
        }
        """;

    // ----- Standard Webhooks: {type, timestamp, data} with data in the seed shape -----

    public static string StandardWebhooksEvent(string type, string objectId, long? amount = null, string currency = "usd", string? customer = null,
        string? payment = null, string? email = null, string? name = null)
    {
        var data = new Dictionary<string, object> { ["id"] = objectId, ["object"] = type.Split('.')[0] };
        if (amount is not null)
        {
            data["amount"] = amount;
            data["currency"] = currency;
        }
        AddIfSet(data, "customer", customer);
        AddIfSet(data, "payment", payment);
        AddIfSet(data, "email", email);
        AddIfSet(data, "name", name);
        return System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["type"] = type,
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["data"] = data,
        });
    }

    private static void AddIfSet(Dictionary<string, object> data, string key, string? value)
    {
        if (value is not null)
        {
            data[key] = value;
        }
    }
}
