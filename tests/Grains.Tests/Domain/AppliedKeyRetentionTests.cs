using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Domain;

/// <summary>A long-lived object keeps the keys of applied events only as long as the events themselves are kept.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AppliedKeyRetentionTests(ClusterFixture fixture)
{
    [Fact]
    public async Task KeysOlderThanTheEventRetention_TrimmedOnTheNextWrite_ViewUnchanged()
    {
        var customer = Events.NewId("cus");
        var oldKey = $"test:{Events.NewId("evt")}";
        var forty = DateTimeOffset.UtcNow.AddDays(-40);
        // Written 40 days ago (beyond the default event retention of 30 days) in format 1: applied keys as a list.
        await TestDatabase.ExecuteAsync(fixture.ConnectionString, """
            INSERT INTO grain_state (state_name, grain_id, etag, state)
            VALUES ('customer', @id, 1, jsonb_build_object(
                'appliedEvents', jsonb_build_array(@old), 'updatedAt', @at,
                'email', jsonb_build_object('value', 'old@example.com', 'at', @at, 'receivedAt', @at, 'eventKey', @old),
                'name', jsonb_build_object('value', 'Ana', 'at', @at, 'receivedAt', @at, 'eventKey', @old)))
            """, ("id", $"customer/test:{customer}"), ("old", oldKey), ("at", forty.ToString("O")));
        var grain = fixture.Client.GetGrain<ICustomerGrain>($"test:{customer}");
        var recent = Events.Stored(Events.NewId("evt"), EventTypes.CustomerUpdated,
            new EventDetails { ObjectId = customer, Email = "new@example.com", OccurredAt = DateTimeOffset.UtcNow });

        Assert.Equal(("old@example.com", "Ana"), ((await grain.GetAsync())!.Email, (await grain.GetAsync())!.Name));
        Assert.True(await grain.UpdateAsync(recent));

        var json = await TestDatabase.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT state::text FROM grain_state WHERE state_name = 'customer' AND grain_id = @id", ("id", $"customer/test:{customer}"));
        Assert.Contains(recent.Key, json, StringComparison.Ordinal);
        Assert.DoesNotContain(oldKey, json.Replace($"\"eventKey\": \"{oldKey}\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("appliedEvents", json, StringComparison.Ordinal);
        Assert.Contains("\"format\": 2", json, StringComparison.Ordinal);
        var view = (await grain.GetAsync())!;
        Assert.Equal(("new@example.com", "Ana"), (view.Email, view.Name)); // the old event's effect stays
    }
}
