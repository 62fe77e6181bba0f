using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Ingestion;
using Orleans.Webhooks.WebApi.Rejections;
using Orleans.Webhooks.WebApi.Tests.Edge;
using static Orleans.Webhooks.WebApi.Tests.Edge.EdgeFactory;

namespace Orleans.Webhooks.WebApi.Tests.Ingestion;

/// <summary>
/// The contract's order of checks on <c>POST /webhook/{provider}</c> (404 → 413 → 401 → 415 → 400 → 503), each request
/// wrong in every way from its step on, so that only the earliest check can answer it.
/// </summary>
public sealed class WebhookEndpointsTests : IClassFixture<EdgeFactory>, IDisposable
{
    private readonly EdgeFactory _factory;
    private readonly HttpClient _http;

    public WebhookEndpointsTests(EdgeFactory factory)
    {
        _factory = factory;
        _http = factory.CreateClient();
        _factory.DrainRejections();
        _factory.Grains.Accepted.Clear();
        _factory.Grains.Accept = FakeGrains.AcceptOnceThenDuplicate();
    }

    public void Dispose() => _http.Dispose();

    private static string NewId() => $"evt_{Guid.NewGuid():N}";

    private static string SeedEvent(string id) =>
        $$$"""{"id":"{{{id}}}","type":"payment.completed","data":{"id":"pay_1","amount":1234,"currency":"usd"}}""";

    /// <summary>Over the size limit, unsigned, of a content type hmac cannot read, and not JSON.</summary>
    private static string Oversized() => new('x', MaxBodyBytes + 1);

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            var response = await _http.SendAsync(request);
            var body = response.Content.Headers.ContentLength is 0 ? default : await response.Content.ReadFromJsonAsync<JsonElement>();
            return (response.StatusCode, body, response);
        }
    }

    [Fact]
    public async Task UnknownProvider_WrongInEveryOtherWay_Returns404()
    {
        var (status, body, _) = await SendAsync(Delivery(Oversized(), provider: "nobody", contentType: "text/plain", signature: "bad"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(404, body.GetProperty("status").GetInt32());
        Assert.Empty(_factory.Grains.Accepted);
        Assert.Equal([("nobody", RejectionReasons.UnknownProvider, 404)], Audited());
    }

    [Fact]
    public async Task TooLarge_BadSignatureContentAndBody_Returns413()
    {
        var (status, body, _) = await SendAsync(Delivery(Oversized(), contentType: "text/plain", signature: "bad"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("Payload too large", body.GetProperty("title").GetString());
        Assert.Empty(_factory.Grains.Accepted);
        Assert.Equal([("hmac", RejectionReasons.TooLarge, 413)], Audited());
    }

    [Fact]
    public async Task BadSignature_WrongContentAndBody_Returns401WithoutTheExpectedValue()
    {
        var (status, body, _) = await SendAsync(Delivery("not json", contentType: "text/plain", signature: new string('0', 64)));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.DoesNotContain(Secret, body.GetRawText(), StringComparison.Ordinal);
        Assert.Empty(_factory.Grains.Accepted);
        Assert.Equal([("hmac", RejectionReasons.NoSecretMatched, 401)], Audited());
    }

    [Fact]
    public async Task SignedButUnreadableContentType_AndBadBody_Returns415()
    {
        var (status, _, _) = await SendAsync(Delivery("not json", contentType: "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Empty(_factory.Grains.Accepted);
        Assert.Equal([("hmac", RejectionReasons.UnsupportedMediaType, 415)], Audited());
    }

    [Fact]
    public async Task SignedJsonThatIsNotAnObject_Returns400()
    {
        var (status, body, _) = await SendAsync(Delivery("not json"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Invalid payload", body.GetProperty("title").GetString());
        Assert.Empty(_factory.Grains.Accepted);
        Assert.Equal([("hmac", RejectionReasons.InvalidPayload, 400)], Audited());
    }

    [Fact]
    public async Task Valid_ReachesTheEventGrain_Returns200Accepted_ThenDuplicate()
    {
        var id = NewId();

        var first = await SendAsync(Delivery(SeedEvent(id)));
        var again = await SendAsync(Delivery(SeedEvent(id)));

        Assert.Equal((HttpStatusCode.OK, "accepted", $"hmac:{id}"), (first.Status, first.Body.GetProperty("status").GetString(), first.Body.GetProperty("id").GetString()));
        Assert.Equal((HttpStatusCode.OK, "duplicate", $"hmac:{id}"), (again.Status, again.Body.GetProperty("status").GetString(), again.Body.GetProperty("id").GetString()));
        Assert.Equal(2, _factory.Grains.Accepted.Count);
        var incoming = _factory.Grains.Accepted.First();
        Assert.Equal(id, incoming.ExternalId);
        Assert.Equal(("hmac", "payment.completed", "pay_1", 12.34m), (incoming.Provider, incoming.Type, incoming.Details.ObjectId, incoming.Details.Amount));
        Assert.Equal(SeedEvent(id), System.Text.Encoding.UTF8.GetString(incoming.Payload));
        Assert.Empty(Audited());
    }

    [Fact]
    public async Task GrainUnavailable_Returns503WithRetryAfter()
    {
        _factory.Grains.Accept = _ => Task.FromException<AcceptOutcome>(new TimeoutException("no silo"));

        var (status, body, response) = await SendAsync(Delivery(SeedEvent(NewId())));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(TimeSpan.FromSeconds(Problems.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        Assert.Equal(503, body.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task StorageUnavailable_Returns503WithRetryAfter_NotAudited()
    {
        _factory.Grains.Accept = _ => Task.FromException<AcceptOutcome>(new StorageUnavailableException("PostgreSQL did not answer"));

        var (status, _, response) = await SendAsync(Delivery(SeedEvent(NewId())));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(TimeSpan.FromSeconds(Problems.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        Assert.Empty(Audited());
    }

    [Fact]
    public async Task EventThatCannotBeStored_Returns422SayingWhy_AndIsAudited()
    {
        const string why = "This delivery cannot be stored. PostgreSQL cannot store it: invalid byte sequence (SQLSTATE 22021).";
        _factory.Grains.Accept = _ => Task.FromException<AcceptOutcome>(new UnstorableEventException(why));

        var (status, body, response) = await SendAsync(Delivery(SeedEvent(NewId())));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(why, body.GetProperty("detail").GetString());
        Assert.Null(response.Headers.RetryAfter);
        Assert.Equal([("hmac", RejectionReasons.Unstorable, 422)], Audited());
    }

    [Fact]
    public async Task MailchimpPing_OnAProviderThatIsNotMailchimp_Returns405()
    {
        using var response = await _http.GetAsync("/webhook/hmac");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private (string Provider, string Reason, int Status)[] Audited() =>
        [.. _factory.DrainRejections().Select(r => (r.Provider, r.Reason, r.Status))];
}
