using System.Net;
using Orleans.Webhooks.WebApi.Normalisation;
using Orleans.Webhooks.WebApi.Providers;
using static Orleans.Webhooks.WebApi.Tests.TestRequests;

namespace Orleans.Webhooks.WebApi.Tests.Normalisation;

public sealed class GitHubEventNormaliserTests
{
    private static readonly GitHubEventNormaliser Normaliser = new();
    private const string Delivery = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

    private const string IssuesOpened = """
        {
          "action": "opened",
          "issue": { "number": 1347, "title": "Found a bug", "user": { "login": "octocat", "id": 1 } },
          "repository": { "id": 1296269, "full_name": "octocat/Hello-World", "owner": { "login": "octocat" } },
          "sender": { "login": "octocat", "id": 1 }
        }
        """;

    private static Dictionary<string, string> Headers(string? delivery = Delivery, string gitHubEvent = "issues")
    {
        var headers = new Dictionary<string, string> { ["X-GitHub-Event"] = gitHubEvent, ["X-GitHub-Hook-ID"] = "292430182" };
        if (delivery is not null)
        {
            headers["X-GitHub-Delivery"] = delivery;
        }
        return headers;
    }

    [Fact]
    public void GitHubJsonBody_EventAndAction_FormProviderTypeAndStayUnmapped()
    {
        var result = Normalise(Normaliser, Create(new ProviderOptions(), Utf8(IssuesOpened), Headers()));
        var evt = result.Event!;
        Assert.Equal(Delivery, evt.ExternalId);
        Assert.Equal("issues.opened", evt.ProviderType);
        Assert.Null(evt.Type);
        Assert.Equal("octocat/Hello-World", evt.Details.ObjectId);
    }

    [Fact]
    public void GitHubFormBody_PayloadField_ReadAsJson()
    {
        var form = Utf8("payload=" + WebUtility.UrlEncode(IssuesOpened));
        var evt = Normalise(Normaliser, Create(new ProviderOptions(), form, Headers(), MediaTypes.Form + "; charset=utf-8")).Event!;
        Assert.Equal("issues.opened", evt.ProviderType);
        Assert.Equal("octocat/Hello-World", evt.Details.ObjectId);
    }

    [Fact]
    public void GitHubEventWithoutAction_ProviderTypeIsEventHeader()
    {
        var ping = """{"zen":"Design for failure.","hook_id":292430182,"repository":{"full_name":"octocat/Hello-World"}}""";
        Assert.Equal("ping", Normalise(Normaliser, Create(new ProviderOptions(), Utf8(ping), Headers(gitHubEvent: "ping"))).Event!.ProviderType);
    }

    [Fact]
    public void GitHubConfiguredMapping_Applies()
    {
        var types = new EventTypeMap(Normaliser.DefaultEventTypes, new Dictionary<string, string> { ["issues.opened"] = "order.created" });
        Assert.Equal("order.created", Normaliser.Normalise(Create(new ProviderOptions(), Utf8(IssuesOpened), Headers()), types).Event!.Type);
    }

    [Fact]
    public void GitHubMissingDeliveryHeader_ReturnsInvalid() =>
        Assert.NotNull(Normalise(Normaliser, Create(new ProviderOptions(), Utf8(IssuesOpened), Headers(delivery: null))).Error);

    [Fact]
    public void GitHubFormWithoutPayload_ReturnsInvalid() =>
        Assert.NotNull(Normalise(Normaliser, Create(new ProviderOptions(), Utf8("other=1"), Headers(), MediaTypes.Form)).Error);

    [Fact]
    public void GitHubBadJson_ReturnsInvalid() =>
        Assert.NotNull(Normalise(Normaliser, Create(new ProviderOptions(), Utf8("{"), Headers())).Error);

    [Theory]
    [InlineData(null, true)]
    [InlineData("application/json", true)]
    [InlineData("application/x-www-form-urlencoded", true)]
    [InlineData("text/plain", false)]
    public void GitHubCanRead_JsonOrForm(string? mediaType, bool expected) =>
        Assert.Equal(expected, Normaliser.CanRead(mediaType));
}
