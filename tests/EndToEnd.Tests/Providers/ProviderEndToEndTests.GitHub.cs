using System.Security.Cryptography;
using System.Text.Json;
using static Orleans.Webhooks.EndToEnd.Tests.Providers.ProviderPayloads;

namespace Orleans.Webhooks.EndToEnd.Tests.Providers;

/// <summary>GitHub: its mapped types end to end, and its forged deliveries refused.</summary>
public sealed partial class ProviderEndToEndTests
{
    [Fact]
    public async Task GitHub_IssuesOpenedAsJson_StoredIgnoredWithEventAndAction()
    {
        var deliveryId = Guid.NewGuid().ToString();

        await AcceptedAsync(ProviderSigning.GitHub(GitHubIssuesOpened("Codertocat/Hello-World", Random.Shared.Next(1, 10_000)), ProviderFixture.GitHubSecret,
            "issues", deliveryId), "github", deliveryId);

        var stored = await FinishedEventAsync("github", deliveryId);
        Assert.Equal("issues.opened", Text(stored, "providerType"));
        Assert.Equal("ignored", Text(stored, "state"));
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("type").ValueKind);
    }

    [Fact]
    public async Task GitHub_PushAsFormPayload_StoredIgnored()
    {
        var deliveryId = Guid.NewGuid().ToString();
        var form = ProviderSigning.GitHubForm(GitHubPush("Codertocat/Hello-World", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))));

        await AcceptedAsync(ProviderSigning.GitHub(form, ProviderFixture.GitHubSecret, "push", deliveryId, "application/x-www-form-urlencoded"),
            "github", deliveryId);

        var stored = await FinishedEventAsync("github", deliveryId);
        Assert.Equal("push", Text(stored, "providerType"));
        Assert.Equal("ignored", Text(stored, "state"));
    }

    [Fact]
    public async Task GitHub_WrongSignature_Returns401AndStoresNothing()
    {
        var deliveryId = Guid.NewGuid().ToString();

        await RefusedAsync(ProviderSigning.GitHub(GitHubIssuesOpened("Codertocat/Hello-World", 1), "not-the-github-secret", "issues", deliveryId),
            "github", deliveryId);
    }
}
