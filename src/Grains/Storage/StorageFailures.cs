using System.Text;
using Npgsql;

namespace Orleans.Webhooks.Grains.Storage;

/// <summary>
/// Tells a write that failed for what its item holds from one that failed because storage is unavailable. Only the
/// first is the sender's to know about: PostgreSQL refused the data itself (SQLSTATE class 22, data exception; class 23,
/// integrity constraint violation), or the driver could not encode its text. Anything else (an outage, a timeout, a
/// missing table) may pass, so the delivery is answered 503 and its provider retries.
/// </summary>
public static class StorageFailures
{
    public static bool IsUnstorable(Exception exception) => exception switch
    {
        PostgresException { SqlState: ['2', '2' or '3', ..] } => true,
        EncoderFallbackException => true,
        _ => false,
    };

    /// <summary>Why, in words safe to show the sender: the database's message (its detail is never included), no value.</summary>
    public static string Reason(Exception exception) => exception switch
    {
        PostgresException postgres => $"PostgreSQL cannot store it: {postgres.MessageText} (SQLSTATE {postgres.SqlState}).",
        _ => "It holds text that is not valid Unicode (half of a surrogate pair).",
    };
}
