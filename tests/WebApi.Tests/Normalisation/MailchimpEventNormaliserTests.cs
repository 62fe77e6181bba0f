using System.Security.Cryptography;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Normalisation;
using Orleans.Webhooks.WebApi.Providers;
using static Orleans.Webhooks.WebApi.Tests.TestRequests;

namespace Orleans.Webhooks.WebApi.Tests.Normalisation;

public sealed class MailchimpEventNormaliserTests
{
    private static readonly MailchimpEventNormaliser Normaliser = new();

    private static byte[] Form(params (string Key, string Value)[] fields) =>
        Utf8(string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}")));

    // Mailchimp's documented "subscribe" sample.
    private static readonly byte[] Subscribe = Form(
        ("type", "subscribe"),
        ("fired_at", "2009-03-26 21:35:57"),
        ("data[id]", "8a25ff1d98"),
        ("data[list_id]", "a6b5da1054"),
        ("data[email]", "api@mailchimp.com"),
        ("data[email_type]", "html"),
        ("data[merges][EMAIL]", "api@mailchimp.com"),
        ("data[merges][FNAME]", "Mailchimp"),
        ("data[merges][LNAME]", "API"),
        ("data[merges][INTERESTS]", "Group1,Group2"),
        ("data[ip_opt]", "10.20.10.30"),
        ("data[ip_signup]", "10.20.10.30"));

    private static NormaliseResult Read(byte[] body) => Normalise(Normaliser, Create(new ProviderOptions(), body, null, MediaTypes.Form, "?secret=x"));

    [Fact]
    public void MailchimpSubscribe_PhpStyleKeys_NormalisedToCustomerUpdated()
    {
        var evt = Read(Subscribe).Event!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Subscribe)), evt.ExternalId);
        Assert.Equal("subscribe", evt.ProviderType);
        Assert.Equal(EventTypes.CustomerUpdated, evt.Type);
        Assert.Equal("8a25ff1d98", evt.Details.ObjectId);
        Assert.Equal("api@mailchimp.com", evt.Details.Email);
        Assert.Equal("Mailchimp API", evt.Details.Name);
        Assert.Equal(new DateTimeOffset(2009, 3, 26, 21, 35, 57, TimeSpan.Zero), evt.Details.OccurredAt);
    }

    [Fact]
    public void MailchimpForm_UnencodedBracketsAndPlusSpaces_Read()
    {
        var body = Utf8("type=profile&fired_at=2009-03-26+21:31:21&data[id]=8a25ff1d98&data[email]=api%40mailchimp.com&data[merges][FNAME]=Mail+Chimp&data[merges][LNAME]=");
        var evt = Read(body).Event!;
        Assert.Equal(EventTypes.CustomerUpdated, evt.Type);
        Assert.Equal("api@mailchimp.com", evt.Details.Email);
        Assert.Equal("Mail Chimp", evt.Details.Name);
        Assert.Equal(new DateTimeOffset(2009, 3, 26, 21, 31, 21, TimeSpan.Zero), evt.Details.OccurredAt);
    }

    [Fact]
    public void MailchimpUpemail_NewEmailAndNewId()
    {
        var evt = Read(Form(
            ("type", "upemail"),
            ("fired_at", "2009-03-26 22:15:09"),
            ("data[list_id]", "a6b5da1054"),
            ("data[new_id]", "51da8c3259"),
            ("data[new_email]", "api+new@mailchimp.com"),
            ("data[old_email]", "api+old@mailchimp.com"))).Event!;
        Assert.Equal(EventTypes.CustomerUpdated, evt.Type);
        Assert.Equal("51da8c3259", evt.Details.ObjectId);
        Assert.Equal("api+new@mailchimp.com", evt.Details.Email);
    }

    [Fact]
    public void MailchimpUnsubscribe_Unmapped() =>
        Assert.Null(Read(Form(("type", "unsubscribe"), ("data[id]", "8a25ff1d98"))).Event!.Type);

    [Fact]
    public void MailchimpSameBodyTwice_SameExternalId() =>
        Assert.Equal(Read(Subscribe).Event!.ExternalId, Read((byte[])Subscribe.Clone()).Event!.ExternalId);

    [Fact]
    public void MailchimpFormWithoutType_ReturnsInvalid() =>
        Assert.NotNull(Read(Form(("data[id]", "8a25ff1d98"))).Error);

    [Theory]
    [InlineData("application/x-www-form-urlencoded", true)]
    [InlineData("application/json", false)]
    [InlineData(null, false)]
    public void MailchimpCanRead_FormOnly(string? mediaType, bool expected) =>
        Assert.Equal(expected, Normaliser.CanRead(mediaType));
}
