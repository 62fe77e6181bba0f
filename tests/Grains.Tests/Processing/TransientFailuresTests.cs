using System.Net.Sockets;
using Npgsql;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.Webhooks.Grains.Processing;

namespace Orleans.Webhooks.Grains.Tests.Processing;

/// <summary>Which failures of a processing run are outages (the event stays received) and which are the event's.</summary>
public sealed class TransientFailuresTests
{
    private static NpgsqlException Unreachable() => new("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));

    [Fact]
    public void PostgreSqlUnreachable_WrappedByOrleansGrainState_IsAnOutage()
    {
        Assert.True(Unreachable().IsTransient);

        // As Orleans' grain state hands a storage provider's failure to the grain.
        Assert.True(TransientFailures.Is(new OrleansException("Error from storage provider during WriteStateAsync", Unreachable())));
    }

    [Fact]
    public void AnEventsOwnFailure_WrappedOrNot_IsNotAnOutage()
    {
        Assert.False(TransientFailures.Is(new InvalidOperationException("bad event")));
        Assert.False(TransientFailures.Is(new OrleansException("Error from storage provider", new InvalidOperationException("bad event"))));
        Assert.False(TransientFailures.Is(new OrleansException("no cause")));
    }

    [Fact]
    public void ALostEtagRace_IsAnOutage() =>
        Assert.True(TransientFailures.Is(new InconsistentStateException("etag", "1", "2")));
}
