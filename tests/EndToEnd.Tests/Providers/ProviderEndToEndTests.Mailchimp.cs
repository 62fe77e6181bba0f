using System.Net;
using static Orleans.Webhooks.EndToEnd.Tests.Providers.ProviderPayloads;

namespace Orleans.Webhooks.EndToEnd.Tests.Providers;

/// <summary>Mailchimp: its mapped types end to end, and its forged deliveries refused.</summary>
public sealed partial class ProviderEndToEndTests
{
    [Fact]
    public async Task Mailchimp_Subscribe_CreatesCustomerFromEmailAndMergeFields()
    {
        var memberId = Guid.NewGuid().ToString("N")[..10];
        var form = MailchimpMember("subscribe", memberId, "a6b5da1054", $"{memberId}@example.com", "John", "Doe");

        await AcceptedAsync(ProviderSigning.Mailchimp(form, ProviderFixture.MailchimpSecret), "mailchimp", ProviderSigning.BodyHash(form));

        var stored = await ProcessedEventAsync("mailchimp", ProviderSigning.BodyHash(form));
        Assert.Equal("subscribe", Text(stored, "providerType"));
        Assert.Equal("customer.updated", Text(stored, "type"));
        var customer = await CustomerAsync("mailchimp", memberId);
        Assert.Equal($"{memberId}@example.com", Text(customer, "email"));
        Assert.Equal("John Doe", Text(customer, "name"));
    }

    [Fact]
    public async Task Mailchimp_Profile_UpdatesCustomerName()
    {
        var memberId = Guid.NewGuid().ToString("N")[..10];
        var now = DateTimeOffset.UtcNow;
        // fired_at has whole seconds and orders the changes: the profile change is a minute after the subscription.
        var subscribe = MailchimpMember("subscribe", memberId, "a6b5da1054", $"{memberId}@example.com", "John", "Doe", now.AddMinutes(-1));
        var profile = MailchimpMember("profile", memberId, "a6b5da1054", $"{memberId}@example.com", "Johnny", "Doe-Smith", now);

        await AcceptedAsync(ProviderSigning.Mailchimp(subscribe, ProviderFixture.MailchimpSecret), "mailchimp", ProviderSigning.BodyHash(subscribe));
        await AcceptedAsync(ProviderSigning.Mailchimp(profile, ProviderFixture.MailchimpSecret), "mailchimp", ProviderSigning.BodyHash(profile));

        await ProcessedEventAsync("mailchimp", ProviderSigning.BodyHash(subscribe));
        Assert.Equal("customer.updated", Text(await ProcessedEventAsync("mailchimp", ProviderSigning.BodyHash(profile)), "type"));
        var customer = await CustomerAsync("mailchimp", memberId);
        Assert.Equal("Johnny Doe-Smith", Text(customer, "name"));
        Assert.Equal($"{memberId}@example.com", Text(customer, "email"));
    }

    [Fact]
    public async Task Mailchimp_Upemail_CustomerHasTheNewEmail()
    {
        var newMemberId = Guid.NewGuid().ToString("N")[..10];
        var form = MailchimpEmailChanged(newMemberId, "a6b5da1054", "api+old@mailchimp.com", $"api+{newMemberId}@mailchimp.com");

        await AcceptedAsync(ProviderSigning.Mailchimp(form, ProviderFixture.MailchimpSecret), "mailchimp", ProviderSigning.BodyHash(form));

        var stored = await ProcessedEventAsync("mailchimp", ProviderSigning.BodyHash(form));
        Assert.Equal("upemail", Text(stored, "providerType"));
        var customer = await CustomerAsync("mailchimp", newMemberId);
        Assert.Equal($"api+{newMemberId}@mailchimp.com", Text(customer, "email"));
    }

    [Fact]
    public async Task Mailchimp_ValidationPing_RightSecret200WrongSecret401()
    {
        using var right = await Service.Http.GetAsync($"/webhook/mailchimp?secret={Uri.EscapeDataString(ProviderFixture.MailchimpSecret)}");
        using var wrong = await Service.Http.GetAsync("/webhook/mailchimp?secret=not-the-secret");
        using var none = await Service.Http.GetAsync("/webhook/mailchimp");

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
    }

    [Fact]
    public async Task Mailchimp_WrongSecret_Returns401AndStoresNothing()
    {
        var memberId = Guid.NewGuid().ToString("N")[..10];
        var form = MailchimpMember("subscribe", memberId, "a6b5da1054", $"{memberId}@example.com", "John", "Doe");

        await RefusedAsync(ProviderSigning.Mailchimp(form, "not-the-secret"), "mailchimp", ProviderSigning.BodyHash(form));
    }
}
