using System.Text.Json;
using Orleans.Webhooks.Grains.Customers;
using Orleans.Webhooks.Grains.Domain;

namespace Orleans.Webhooks.Grains.Tests.Domain;

/// <summary>
/// The stored formats of a domain state, read and written with the grain storage's JSON settings: a format 1 state
/// (applied keys without times, no view hash, no format field) reads back and becomes format 2 on first use.
/// </summary>
public sealed class DomainStateFormatTests
{
    private static readonly JsonSerializerOptions StorageJson = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Format1State_ItsKeysCountAsAppliedAtItsNewestEventTime_AndItIsWrittenAsFormat2()
    {
        var updatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var state = JsonSerializer.Deserialize<CustomerState>(
            """{"appliedEvents":["test:e1","test:e2"],"updatedAt":"2026-01-02T03:04:05+00:00"}""", StorageJson)!;

        Assert.Equal((DomainState.Format1, (string?)null, false), (state.Format, state.ViewHash, state.IsEmpty));
        Assert.True(state.HasApplied("test:e1"));
        Assert.False(state.HasApplied("test:e3"));
        Assert.Equal(DomainState.Format2, state.Format);
        Assert.Equal(updatedAt, state.Applied["test:e2"]);

        var written = JsonSerializer.Serialize(state, StorageJson);
        Assert.Contains("\"format\":2", written, StringComparison.Ordinal);
        Assert.DoesNotContain("appliedEvents", written, StringComparison.Ordinal);
        var again = JsonSerializer.Deserialize<CustomerState>(written, StorageJson)!;
        Assert.Equal(DomainState.Format2, again.Format);
        Assert.Equal(["test:e1", "test:e2"], again.Applied.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void NewState_IsFormat2OnceUsed()
    {
        var state = new CustomerState();

        Assert.False(state.HasApplied("test:e1"));
        state.RecordApplied("test:e1", DateTimeOffset.UnixEpoch);

        Assert.Equal(DomainState.Format2, JsonSerializer.Deserialize<CustomerState>(JsonSerializer.Serialize(state, StorageJson), StorageJson)!.Format);
    }
}
