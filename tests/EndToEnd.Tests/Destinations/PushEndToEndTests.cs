using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Destinations;

/// <summary>Push from the real programs (silos and web API) to a receiver in the test process, configured as an operator would.</summary>
public sealed class PushEndToEndTests
{
    private const string Secret = "e2e-push-secret";

    private static string Id(long seq) => seq.ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Destination(PushReceiver receiver, Dictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["Webhooks__Destinations__odoo__Url"] = receiver.Url,
            ["Webhooks__Destinations__odoo__Secrets__0"] = receiver.Secret,
            ["Webhooks__Destinations__odoo__Secrets__1"] = "retired-push-secret",
            ["Webhooks__Destinations__odoo__InitialBackoff"] = "00:00:00.200",
            ["Webhooks__Destinations__odoo__MaxBackoff"] = "00:00:01",
            ["Logging__LogLevel__Orleans.Webhooks.Grains.Destinations"] = "Information",
        };
        foreach (var (key, value) in extra ?? [])
        {
            environment[key] = value;
        }
        return environment;
    }

    [Fact]
    public async Task DestinationRoutes_ShowStateCursorLagAndAttempts_PauseResumeRewindAnswer202()
    {
        await using var odoo = await PushReceiver.StartAsync(TestPorts.Of(8040), Secret);
        await using var service = await Service.StartAsync("webhooks_test_push_api", 8000, environment: Destination(odoo));
        var seqs = await ChangeLog.AppendAsync(service.ConnectionString, ChangeLog.Spread("api", 20, 4));
        await Eventually.MatchesAsync(() => Task.FromResult(odoo.Delivered.Count), n => n == 20, TimeSpan.FromSeconds(60), "20 changes delivered");

        var list = (await Eventually.MatchesAsync(() => service.GetJsonAsync("/api/destinations"),
            l => l is { } found && found[0].GetProperty("cursor").GetString() == Id(seqs[^1]), TimeSpan.FromSeconds(30), "the cursor at the last change"))!.Value;
        var destination = Assert.Single(list.EnumerateArray());
        Assert.Equal(["name", "url", "state", "cursor", "lagChanges", "lagSeconds", "lastError"], destination.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("odoo", odoo.Url, "active"), (destination.GetProperty("name").GetString(), destination.GetProperty("url").GetString(), destination.GetProperty("state").GetString()));
        Assert.Equal(0, destination.GetProperty("lagChanges").GetInt64());
        Assert.Equal(JsonValueKind.Null, destination.GetProperty("lastError").ValueKind);
        Assert.DoesNotContain(Secret, list.GetRawText(), StringComparison.Ordinal);

        var attempts = (await service.GetJsonAsync("/api/destinations/odoo/deliveries?limit=5"))!.Value;
        Assert.Equal(5, attempts.GetArrayLength());
        var attempt = attempts[0];
        Assert.Equal(["changeId", "status", "durationMs", "error", "at"], attempt.EnumerateObject().Select(p => p.Name));
        Assert.Equal(200, attempt.GetProperty("status").GetInt32());

        Assert.Equal(HttpStatusCode.NotFound, (await service.Http.GetAsync("/api/destinations/nowhere/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Http.PostAsync("/api/destinations/nowhere/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await service.Http.PostAsync("/api/destinations/odoo/rewind?to=abc", null)).StatusCode);

        // Paused: what is written meanwhile waits; rewound: sent again with the same ids; resumed: all of it arrives.
        Assert.Equal(HttpStatusCode.Accepted, (await service.Http.PostAsync("/api/destinations/odoo/pause", null)).StatusCode);
        Assert.Equal("paused", (await service.GetJsonAsync("/api/destinations"))!.Value[0].GetProperty("state").GetString());
        var later = await ChangeLog.AppendAsync(service.ConnectionString, ChangeLog.Spread("api", 5, 4));
        Assert.Equal(HttpStatusCode.Accepted, (await service.Http.PostAsync($"/api/destinations/odoo/rewind?to={seqs[14]}", null)).StatusCode);
        var paused = (await service.GetJsonAsync("/api/destinations"))!.Value[0];
        Assert.Equal(("paused", Id(seqs[14]), 10L), (paused.GetProperty("state").GetString(), paused.GetProperty("cursor").GetString(), paused.GetProperty("lagChanges").GetInt64()));
        Assert.Equal(20, odoo.Posts.Count);
        Assert.Equal(HttpStatusCode.Accepted, (await service.Http.PostAsync("/api/destinations/odoo/resume", null)).StatusCode);

        await Eventually.MatchesAsync(() => Task.FromResult(odoo.Posts.Count), n => n == 30, TimeSpan.FromSeconds(30), "5 rewound and 5 new changes sent");
        Assert.Equal(seqs.Concat(later).Select(Id).ToHashSet(), odoo.Delivered);
        Assert.All(odoo.Posts.GroupBy(p => p.Id).Where(g => g.Count() > 1), g => Assert.Single(g.Select(p => p.Body).Distinct()));
        Assert.All(odoo.Posts, p => Assert.True(p.SignatureValid));
    }

    [Fact]
    public async Task SiloKilledWhilePushing_NothingIsLost()
    {
        await using var odoo = await PushReceiver.StartAsync(TestPorts.Of(8190), Secret);
        odoo.Delay = TimeSpan.FromMilliseconds(5);
        await using var service = await Service.StartAsync("webhooks_test_push_kill", 8150, silos: 2,
            environment: Destination(odoo, new() { ["Webhooks__Destinations__odoo__Concurrency"] = "2" }));
        var seqs = await ChangeLog.AppendAsync(service.ConnectionString, ChangeLog.Spread("kill", 2000, 40));

        await Eventually.MatchesAsync(() => Task.FromResult(odoo.Delivered.Count), n => n >= 200, TimeSpan.FromSeconds(60), "pushing");
        var sender = Enumerable.Range(0, 2).First(i => service.Silo(i).Output.Contains("Destination odoo sending", StringComparison.Ordinal));
        var deliveredBeforeKill = odoo.Delivered.Count;
        await service.Silo(sender).KillAsync();

        await Eventually.MatchesAsync(() => Task.FromResult(odoo.Delivered.Count), n => n == seqs.Length, TimeSpan.FromSeconds(120),
            $"every change delivered after the sender's silo {sender} was killed with {deliveredBeforeKill} delivered");
        Assert.Contains("Destination odoo sending", service.Silo(1 - sender).Output, StringComparison.Ordinal);
        Assert.Equal(seqs.Select(Id).ToHashSet(), odoo.Delivered);
        Assert.All(odoo.Posts, p => Assert.True(p.SignatureValid));
        Assert.All(odoo.FirstArrivalsByObject(), o => Assert.Equal(o.Value.Order(), o.Value));
        Assert.All(odoo.Posts.GroupBy(p => p.Id).Where(g => g.Count() > 1), g => Assert.Single(g.Select(p => p.Body).Distinct()));
        var status = (await Eventually.MatchesAsync(() => service.GetJsonAsync("/api/destinations"),
            l => l is { } found && found[0].GetProperty("cursor").GetString() == Id(seqs[^1]), TimeSpan.FromSeconds(30), "the cursor at the last change"))!.Value;
        Assert.Equal("active", status[0].GetProperty("state").GetString());
    }
}
