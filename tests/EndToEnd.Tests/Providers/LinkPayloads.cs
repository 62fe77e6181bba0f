using System.Globalization;
using System.Text.Json;

namespace Orleans.Webhooks.EndToEnd.Tests.Providers;

/// <summary>
/// The deliveries of disputes, failed refunds and PayPal's v1 sales, modelled on the providers' documented objects and
/// samples (Stripe's dispute and refund objects of API 2024-06-20, Shopify's disputes/create example, PayPal's
/// PAYMENT.SALE.*, PAYMENTS.PAYMENT.CREATED and CUSTOMER.DISPUTE.* samples), plus the seed format with its order.
/// </summary>
public static class LinkPayloads
{
    private static long Unix(DateTimeOffset at) => at.ToUnixTimeSeconds();

    private static string Iso(DateTimeOffset? at) => (at ?? DateTimeOffset.UtcNow).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string StripeEvent(string eventId, string type, string dataObject, DateTimeOffset at, string previousAttributes = "") => $$"""
        {
          "id": "{{eventId}}",
          "object": "event",
          "api_version": "2024-06-20",
          "created": {{Unix(at)}},
          "data": {
            "object": {{dataObject}}{{(previousAttributes.Length == 0 ? "" : $",\n    \"previous_attributes\": {previousAttributes}")}}
          },
          "livemode": false,
          "pending_webhooks": 1,
          "request": { "id": null, "idempotency_key": null },
          "type": "{{type}}"
        }
        """;

    /// <summary>charge.dispute.created (status needs_response) or charge.dispute.closed (won, lost).</summary>
    public static string StripeDispute(string eventId, string type, string disputeId, string chargeId, string paymentIntentId, long amount, string currency,
        string status, DateTimeOffset at)
    {
        var dispute = $$"""
            {
                  "id": "{{disputeId}}",
                  "object": "dispute",
                  "amount": {{amount}},
                  "balance_transactions": [],
                  "charge": "{{chargeId}}",
                  "created": {{Unix(at) - 60}},
                  "currency": "{{currency}}",
                  "evidence": { "access_activity_log": null, "billing_address": null, "customer_email_address": null, "product_description": null, "uncategorized_text": null },
                  "evidence_details": { "due_by": {{Unix(at) + 1_728_000}}, "has_evidence": false, "past_due": false, "submission_count": 0 },
                  "is_charge_refundable": false,
                  "livemode": false,
                  "metadata": {},
                  "payment_intent": "{{paymentIntentId}}",
                  "payment_method_details": { "card": { "brand": "visa", "case_type": "chargeback", "network_reason_code": "10.4" }, "type": "card" },
                  "reason": "fraudulent",
                  "status": "{{status}}"
                }
            """;
        return StripeEvent(eventId, type, dispute, at, type == "charge.dispute.closed" ? """{ "status": "under_review" }""" : "");
    }

    /// <summary>charge.refund.updated or refund.updated: a refund whose status changed (to failed or canceled, or on to succeeded).</summary>
    public static string StripeRefundUpdated(string eventId, string type, string refundId, string chargeId, string paymentIntentId, long amount, string currency,
        string status, DateTimeOffset at)
    {
        var failed = status is "failed" or "canceled";
        var refund = $$"""
            {
                  "id": "{{refundId}}",
                  "object": "refund",
                  "amount": {{amount}},
                  "balance_transaction": "txn_{{Guid.NewGuid():N}}",
                  "charge": "{{chargeId}}",
                  "created": {{Unix(at) - 120}},
                  "currency": "{{currency}}",
                  "destination_details": { "card": { "reference_status": "pending", "reference_type": "acquirer_reference_number", "type": "refund" }, "type": "card" },
                  "failure_balance_transaction": {{(failed ? $"\"txn_{Guid.NewGuid():N}\"" : "null")}},
                  "failure_reason": {{(failed ? "\"expired_or_canceled_card\"" : "null")}},
                  "metadata": {},
                  "payment_intent": "{{paymentIntentId}}",
                  "reason": "requested_by_customer",
                  "receipt_number": null,
                  "source_transfer_reversal": null,
                  "status": "{{status}}",
                  "transfer_reversal": null
                }
            """;
        return StripeEvent(eventId, type, refund, at, """{ "status": "succeeded" }""");
    }

    /// <summary>disputes/create or disputes/update: a chargeback of an order's payment.</summary>
    public static string ShopifyDispute(long disputeId, long orderId, string amount, string currency, string status) => $$"""
        {
          "id": {{disputeId}},
          "order_id": {{orderId}},
          "type": "chargeback",
          "amount": "{{amount}}",
          "currency": "{{currency}}",
          "reason": "fraudulent",
          "network_reason_code": "4837",
          "status": "{{status}}",
          "evidence_due_by": "{{DateTimeOffset.UtcNow.AddDays(14).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}",
          "evidence_sent_on": null,
          "finalized_on": {{(status is "won" or "lost" ? $"\"{DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}\"" : "null")}},
          "initiated_at": "{{DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)}}"
        }
        """;

    private static string PayPalEvent(string eventId, string eventType, string resourceType, string summary, string resource, string version = "1.0") => $$"""
        {
          "id": "{{eventId}}",
          "event_version": "{{version}}",
          "create_time": "{{Iso(null)}}",
          "resource_type": "{{resourceType}}",
          "event_type": "{{eventType}}",
          "summary": "{{summary}}",
          "resource": {{resource}},
          "links": [
            { "href": "https://api.paypal.com/v1/notifications/webhooks-events/{{eventId}}", "rel": "self", "method": "GET" },
            { "href": "https://api.paypal.com/v1/notifications/webhooks-events/{{eventId}}/resend", "rel": "resend", "method": "POST" }
          ]
        }
        """;

    /// <summary>PAYMENTS.PAYMENT.CREATED: the v1 payment the buyer approved (PAY-...), the order its sales pay.</summary>
    public static string PayPalV1Payment(string eventId, string paymentId, string total, string currency, string payerId, string email)
    {
        var resource = $$"""
            {
                "id": "{{paymentId}}",
                "intent": "sale",
                "state": "created",
                "cart": "{{Guid.NewGuid().ToString("N")[..17].ToUpperInvariant()}}",
                "payer": {
                  "payment_method": "paypal",
                  "status": "VERIFIED",
                  "payer_info": { "email": "{{email}}", "first_name": "John", "last_name": "Doe", "payer_id": "{{payerId}}", "country_code": "US" }
                },
                "transactions": [
                  {
                    "amount": { "total": "{{total}}", "currency": "{{currency}}", "details": { "subtotal": "{{total}}" } },
                    "payee": { "merchant_id": "645WT4RL28AL2", "email": "sb-merchant@business.example.com" },
                    "description": "laptop",
                    "item_list": { "items": [ { "name": "laptop", "sku": "1", "price": "{{total}}", "currency": "{{currency}}", "quantity": 1 } ] },
                    "related_resources": []
                  }
                ],
                "create_time": "{{Iso(null)}}",
                "links": [
                  { "href": "https://api.paypal.com/v1/payments/payment/{{paymentId}}", "rel": "self", "method": "GET" },
                  { "href": "https://api.paypal.com/v1/payments/payment/{{paymentId}}/execute", "rel": "execute", "method": "POST" }
                ]
              }
            """;
        return PayPalEvent(eventId, "PAYMENTS.PAYMENT.CREATED", "payment", "Checkout payment is created and approved by buyer", resource);
    }

    /// <summary>PAYMENT.SALE.COMPLETED (state completed) or PAYMENT.SALE.DENIED (state denied): the sale names its v1 payment in parent_payment.</summary>
    public static string PayPalSale(string eventId, string eventType, string saleId, string total, string currency, string parentPayment)
    {
        var completed = eventType == "PAYMENT.SALE.COMPLETED";
        var resource = $$"""
            {
                "id": "{{saleId}}",
                "state": "{{(completed ? "completed" : "denied")}}",
                "amount": { "total": "{{total}}", "currency": "{{currency}}", "details": { "subtotal": "{{total}}" } },
                "payment_mode": "INSTANT_TRANSFER",
                "protection_eligibility": "ELIGIBLE",
                "protection_eligibility_type": "ITEM_NOT_RECEIVED_ELIGIBLE,UNAUTHORIZED_PAYMENT_ELIGIBLE",
                "transaction_fee": { "value": "1.17", "currency": "{{currency}}" },
                "invoice_number": "",
                "custom": "",
                "parent_payment": "{{parentPayment}}",
                "create_time": "{{Iso(null)}}",
                "update_time": "{{Iso(null)}}",
                "links": [
                  { "href": "https://api.paypal.com/v1/payments/sale/{{saleId}}", "rel": "self", "method": "GET" },
                  { "href": "https://api.paypal.com/v1/payments/sale/{{saleId}}/refund", "rel": "refund", "method": "POST" },
                  { "href": "https://api.paypal.com/v1/payments/payment/{{parentPayment}}", "rel": "parent_payment", "method": "GET" }
                ]
              }
            """;
        return PayPalEvent(eventId, eventType, "sale", completed ? $"Payment completed for $ {total} {currency}" : $"A {total} {currency} sale payment was denied", resource);
    }

    /// <summary>PAYMENT.SALE.REFUNDED: the refund names its sale in sale_id; its amount is negative, as PayPal's sample has it.</summary>
    public static string PayPalSaleRefund(string eventId, string refundId, string saleId, string parentPayment, string value, string currency)
    {
        var resource = $$"""
            {
                "id": "{{refundId}}",
                "state": "completed",
                "amount": { "total": "-{{value}}", "currency": "{{currency}}" },
                "refund_from_received_amount": { "value": "{{value}}", "currency": "{{currency}}" },
                "refund_from_transaction_fee": { "value": "0.00", "currency": "{{currency}}" },
                "total_refunded_amount": { "value": "{{value}}", "currency": "{{currency}}" },
                "sale_id": "{{saleId}}",
                "parent_payment": "{{parentPayment}}",
                "create_time": "{{Iso(null)}}",
                "update_time": "{{Iso(null)}}",
                "links": [
                  { "href": "https://api.paypal.com/v1/payments/refund/{{refundId}}", "rel": "self", "method": "GET" },
                  { "href": "https://api.paypal.com/v1/payments/payment/{{parentPayment}}", "rel": "parent_payment", "method": "GET" },
                  { "href": "https://api.paypal.com/v1/payments/sale/{{saleId}}", "rel": "sale", "method": "GET" }
                ]
              }
            """;
        return PayPalEvent(eventId, "PAYMENT.SALE.REFUNDED", "refund", $"A {value} {currency} sale payment was refunded", resource);
    }

    /// <summary>CUSTOMER.DISPUTE.CREATED (status OPEN) or CUSTOMER.DISPUTE.RESOLVED (with the outcome code).</summary>
    public static string PayPalDispute(string eventId, string eventType, string disputeId, string transactionId, string value, string currency, string? outcomeCode)
    {
        var outcome = outcomeCode is null ? "" : $$"""
                "dispute_outcome": { "outcome_code": "{{outcomeCode}}" },
            """;
        var resource = $$"""
            {
                "dispute_id": "{{disputeId}}",
                "create_time": "{{Iso(DateTimeOffset.UtcNow.AddDays(-1))}}",
                "update_time": "{{Iso(null)}}",
                "disputed_transactions": [
                  {
                    "seller_transaction_id": "{{transactionId}}",
                    "create_time": "{{Iso(DateTimeOffset.UtcNow.AddDays(-3))}}",
                    "transaction_status": "COMPLETED",
                    "gross_amount": { "currency_code": "{{currency}}", "value": "{{value}}" },
                    "buyer": { "name": "John Doe" },
                    "seller": { "email": "sb-merchant@business.example.com", "merchant_id": "645WT4RL28AL2", "name": "Test Store" }
                  }
                ],
                "reason": "MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
                "status": "{{(outcomeCode is null ? "OPEN" : "RESOLVED")}}",
                "dispute_amount": { "currency_code": "{{currency}}", "value": "{{value}}" },
            {{outcome}}
                "dispute_life_cycle_stage": "CHARGEBACK",
                "dispute_channel": "EXTERNAL",
                "links": [ { "href": "https://api.paypal.com/v1/customer/disputes/{{disputeId}}", "rel": "self", "method": "GET" } ]
              }
            """;
        return PayPalEvent(eventId, eventType, "dispute", $"A dispute was {(outcomeCode is null ? "created" : "resolved")}", resource);
    }

    /// <summary>The seed format of the contract, with the order a payment pays and the outcome of a closed dispute.</summary>
    public static string Seed(string id, string type, string objectId, long? amount = null, string? payment = null, string? order = null,
        string? customer = null, string? outcome = null, DateTimeOffset? at = null)
    {
        var data = new Dictionary<string, object> { ["id"] = objectId, ["currency"] = "usd" };
        foreach (var (key, value) in new (string, object?)[] { ("amount", amount), ("payment", payment), ("order", order), ("customer", customer), ("outcome", outcome) })
        {
            if (value is not null)
            {
                data[key] = value;
            }
        }
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = id,
            ["type"] = type,
            ["created_at"] = (at ?? DateTimeOffset.UtcNow).ToString("O", CultureInfo.InvariantCulture),
            ["data"] = data,
        });
    }
}
