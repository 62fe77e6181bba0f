using System.Data.Common;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace Orleans.Webhooks.Grains.Processing;

/// <summary>
/// Failures of the infrastructure rather than of the event: a silo that died and is not yet declared dead (calls to it,
/// or to the directory partition it owned, are refused for tens of seconds), a timeout, a write that lost an etag race,
/// PostgreSQL unreachable. A run that ends on one of these has not shown that the event cannot be processed: it stays
/// 'received' and the recovery sweep runs it again later, however long the outage, rather than ending 'failed'.
/// </summary>
public static class TransientFailures
{
    public static bool Is(Exception exception) => exception switch
    {
        OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException or InconsistentStateException => true,
        TimeoutException => true,
        DbException { IsTransient: true } => true, // PostgreSQL unreachable, a connection cut, a serialization failure
        AggregateException { InnerExceptions.Count: > 0 } aggregate => aggregate.InnerExceptions.All(Is),
        // Orleans' grain state wraps a storage provider's failure that is not its own in a plain OrleansException.
        OrleansException { InnerException: { } inner } wrapper when wrapper.GetType() == typeof(OrleansException) => Is(inner),
        _ => false,
    };
}
