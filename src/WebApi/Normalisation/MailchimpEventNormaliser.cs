using System.Globalization;
using System.Security.Cryptography;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>
/// Mailchimp: a form with PHP-style keys (<c>type=subscribe&amp;fired_at=2009-03-26 21:35:57&amp;data[id]=...&amp;data[email]=...
/// &amp;data[merges][FNAME]=...</c>). Mailchimp sends no event id, so the id is the SHA-256 of the raw body: a retry of the
/// same delivery is the same body.
/// </summary>
public sealed class MailchimpEventNormaliser : IEventNormaliser
{
    public IReadOnlyDictionary<string, string> DefaultEventTypes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["subscribe"] = EventTypes.CustomerUpdated,
        ["profile"] = EventTypes.CustomerUpdated,
        ["upemail"] = EventTypes.CustomerUpdated,
    };

    public bool CanRead(string? mediaType) => MediaTypes.IsForm(mediaType);

    public NormaliseResult Normalise(WebhookRequest request, IEventTypeMap types)
    {
        var form = FormBody.Parse(request.Body);
        if (form["type"] is not { } providerType)
        {
            return NormaliseResult.Invalid("The form has no 'type' field.");
        }
        var upemail = providerType == "upemail";
        var name = $"{form["data[merges][FNAME]"]} {form["data[merges][LNAME]"]}".Trim();
        return new NormalisedEvent(
            Convert.ToHexStringLower(SHA256.HashData(request.Body.Span)),
            providerType,
            types.Map(providerType),
            new EventDetails
            {
                ObjectId = (upemail ? form["data[new_id]"] : null) ?? form["data[id]"],
                Email = upemail ? form["data[new_email]"] ?? form["data[email]"] : form["data[email]"],
                Name = name.Length == 0 ? null : name,
                OccurredAt = DateTimeOffset.TryParseExact(form["fired_at"], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var firedAt) ? firedAt : null,
            });
    }
}
