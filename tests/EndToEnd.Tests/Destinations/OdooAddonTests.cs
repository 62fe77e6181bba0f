using System.Globalization;
using System.Text.Json;

namespace Orleans.Webhooks.EndToEnd.Tests.Destinations;

/// <summary>
/// The Odoo addon's pure module (deploy/odoo/orleans_webhooks/push_core.py, in deploy/odoo/tests/receiver.py) against the
/// real product's push, in both formats, one change per POST and in batches: see <see cref="OdooAddonFixture"/> for the
/// story (a fetch of the newest changes first, so the push brings older ones out of order, then repeats after a rewind).
/// </summary>
public sealed class OdooAddonTests(OdooAddonFixture fixture) : IClassFixture<OdooAddonFixture>
{
    [Theory]
    [InlineData("odoohmac")]
    [InlineData("odoostandard")]
    [InlineData("odoohmacbatch")]
    [InlineData("odoostandardbatch")]
    public async Task Receiver_AppliesEachChangeOnceInOrderPerObject_IgnoresRepeatsAndOlderChanges(string destination)
    {
        var receiver = fixture.Receivers[destination];
        var state = await receiver.StateAsync();
        var posts = state.GetProperty("posts").EnumerateArray().ToList();
        Assert.NotEmpty(posts);
        Assert.All(posts, post => Assert.True(post.GetProperty("status").GetInt32() == 200, $"refused: {post}\n{receiver.Errors}"));
        Assert.All(posts, post => Assert.Equal(post.GetProperty("expectedMessageId").GetString(), post.GetProperty("messageId").GetString()));

        var applied = Ids(state.GetProperty("applied"));
        var older = Ids(state.GetProperty("older"));
        var repeats = Ids(state.GetProperty("repeats"));
        Assert.Equal(applied.Count, applied.Distinct().Count());
        Assert.All(state.GetProperty("appliedByObject").EnumerateObject(), o => Assert.Equal(Ids(o.Value).Order(), Ids(o.Value)));
        // Every change was applied once, or passed over because a newer one of its object was applied before it came.
        Assert.Empty(fixture.ChangeIds.Except(applied).Except(older));

        // The fetched changes were applied from the feed; their objects' earlier changes, pushed after, were older.
        var fetched = fixture.Fetched[destination];
        Assert.Equal(fixture.FetchedUpTo - fixture.FetchedAfter, fetched.GetProperty("applied").GetInt64());
        Assert.Equal(fixture.FetchedUpTo.ToString(CultureInfo.InvariantCulture), fetched.GetProperty("cursor").GetString());
        Assert.True(fetched.GetProperty("pages").GetInt32() > 1, $"the feed read in pages: {fetched}");
        // Older: pushed after the fetch brought newer changes of their objects, or sent again after the rewind.
        Assert.Contains(older, id => id <= fixture.FetchedAfter);
        Assert.All(older, id => Assert.True(id <= fixture.FetchedAfter || id > fixture.RewoundTo, $"change {id} was passed over as older"));
        // Each fetched change came again with the push, and each rewound change was sent again: repeats, not applied twice.
        Assert.All(Enumerable.Range(1, (int)(fixture.FetchedUpTo - fixture.FetchedAfter)).Select(i => fixture.FetchedAfter + i),
            id => Assert.True(repeats.Contains(id) || older.Contains(id), $"fetched change {id} not recognised when pushed"));
        Assert.All(fixture.ChangeIds.Where(id => id > fixture.RewoundTo),
            id => Assert.True(OdooAddonFixture.Received(state, id) >= 2, $"change {id} sent again after the rewind"));
    }

    [Theory]
    [InlineData("odoohmac")]
    [InlineData("odoostandard")]
    [InlineData("odoohmacbatch")]
    [InlineData("odoostandardbatch")]
    public async Task Receiver_EndsWithTheViewsTheManagementApiShows(string destination)
    {
        var objects = (await fixture.Receivers[destination].StateAsync()).GetProperty("objects");
        var shown = 0;
        foreach (var (kind, path) in new[] { ("payment", "payments"), ("order", "orders"), ("customer", "customers") })
        {
            var items = (await fixture.Service.GetJsonAsync($"/api/{path}?limit=1000"))!.Value.GetProperty("items");
            foreach (var view in items.EnumerateArray())
            {
                var key = $"{kind}:{view.GetProperty("provider").GetString()}:{view.GetProperty("id").GetString()}";
                Assert.True(objects.TryGetProperty(key, out var kept), $"{destination} has no {key}");
                Assert.True(JsonElement.DeepEquals(view, kept.GetProperty("view")), $"{key}: shown {view}, kept {kept.GetProperty("view")}");
                shown++;
            }
        }
        Assert.Equal(shown, objects.EnumerateObject().Count());
        Assert.True(shown > 50, $"{shown} objects");
    }

    [Theory]
    [InlineData("odoohmac")]
    [InlineData("odoostandard")]
    public async Task DestinationWithoutBatch_SendsOneChangePerPost(string destination)
    {
        var posts = (await fixture.Receivers[destination].StateAsync()).GetProperty("posts").EnumerateArray().ToList();
        Assert.All(posts, post => Assert.False(post.GetProperty("batch").GetBoolean()));
        Assert.All(posts, post => Assert.Equal(1, post.GetProperty("ids").GetArrayLength()));
    }

    /// <summary>Contract section 6: with <c>Batch</c> 100, one POST carries several changes in change order.</summary>
    [Theory]
    [InlineData("odoohmacbatch")]
    [InlineData("odoostandardbatch")]
    public async Task DestinationWithBatch_SendsSeveralChangesPerPostInChangeOrder(string destination)
    {
        var posts = (await fixture.Receivers[destination].StateAsync()).GetProperty("posts").EnumerateArray().ToList();
        var batches = posts.Where(p => p.GetProperty("batch").GetBoolean()).Select(p => Ids(p.GetProperty("ids"))).ToList();
        Assert.True(batches.Count > 0 && batches.Max(b => b.Count) > 1, $"{posts.Count} POSTs, none with several changes");
        Assert.All(batches, ids => Assert.Equal(ids.Order(), ids));
        Assert.All(batches, ids => Assert.InRange(ids.Count, 1, 100));
        var carried = posts.Sum(p => p.GetProperty("ids").GetArrayLength());
        // How full a batch gets depends on the load (a batch goes as soon as the previous one is acknowledged); the
        // backlog left by the pause fills some, so there are fewer POSTs than changes.
        Assert.True(posts.Count < carried, $"{posts.Count} POSTs for {carried} changes");
    }

    private static List<long> Ids(JsonElement array) =>
        array.EnumerateArray().Select(id => id.ValueKind == JsonValueKind.String ? long.Parse(id.GetString()!, CultureInfo.InvariantCulture) : id.GetInt64()).ToList();
}
