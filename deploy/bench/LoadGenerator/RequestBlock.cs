using System.Security.Cryptography;
using System.Text;

namespace Orleans.Webhooks.LoadGenerator;

/// <summary>
/// A run of correctly signed hmac seed-format deliveries, built before they are sent: bodies laid out back to back in
/// one buffer (fixed width, so body i sits at i * BodyLength), signatures as ready header strings. Each request has its
/// own event id and payment id. Outcomes are recorded in place, one slot per request.
/// </summary>
public sealed class RequestBlock
{
    private readonly byte[] _bodies;
    private int _next;

    private RequestBlock(string tag, long firstSeq, int count, byte[] bodies, int bodyLength, string[] signatures)
    {
        Tag = tag;
        FirstSeq = firstSeq;
        Count = count;
        _bodies = bodies;
        BodyLength = bodyLength;
        Signatures = signatures;
        Status = new short[count];
        Latency = new long[count];
        CompletedAt = new long[count];
    }

    public string Tag { get; }

    public long FirstSeq { get; }

    public int Count { get; }

    public int BodyLength { get; }

    public string[] Signatures { get; }

    /// <summary>0 not sent, 200/4xx/5xx the answer, <see cref="Outcome.Duplicate"/> a 200 duplicate, <see cref="Outcome.Failed"/> no answer.</summary>
    public short[] Status { get; }

    /// <summary>Stopwatch ticks from handing the request to HttpClient to the whole answer read.</summary>
    public long[] Latency { get; }

    /// <summary>Stopwatch timestamp of the answer.</summary>
    public long[] CompletedAt { get; }

    public int Taken => Math.Min(Volatile.Read(ref _next), Count);

    public ReadOnlyMemory<byte> Body(int index) => _bodies.AsMemory(index * BodyLength, BodyLength);

    public (byte[] Buffer, int Offset) BodySegment(int index) => (_bodies, index * BodyLength);

    public string EventId(int index) => EventIdOf(Tag, FirstSeq + index);

    /// <summary>200 accepted answered between two Stopwatch timestamps, per second.</summary>
    public double AcceptedPerSecond(long from, long to)
    {
        var accepted = 0;
        for (var i = 0; i < Taken; i++)
        {
            if (Status[i] == Outcome.Accepted && CompletedAt[i] > from && CompletedAt[i] <= to)
            {
                accepted++;
            }
        }
        var seconds = (double)(to - from) / System.Diagnostics.Stopwatch.Frequency;
        return seconds > 0 ? accepted / seconds : 0;
    }

    public bool TryTake(out int index)
    {
        index = Interlocked.Increment(ref _next) - 1;
        return index < Count;
    }

    public static string EventIdOf(string tag, long seq) => $"evt_{tag}_{seq:D10}";

    public static RequestBlock Build(string tag, long firstSeq, int count, byte[] secret, int customers = MaxCustomers)
    {
        var bodyLength = BodyOf(tag, firstSeq, customers).Length;
        if ((long)bodyLength * count > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "Too many requests for one block.");
        }
        var bodies = new byte[bodyLength * count];
        var signatures = new string[count];
        Parallel.For(0, Environment.ProcessorCount, part =>
        {
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            for (var i = part; i < count; i += Environment.ProcessorCount)
            {
                var body = bodies.AsSpan(i * bodyLength, bodyLength);
                Encoding.UTF8.GetBytes(BodyOf(tag, firstSeq + i, customers), body);
                HMACSHA256.HashData(secret, body, mac);
                signatures[i] = Convert.ToHexStringLower(mac);
            }
        });
        return new RequestBlock(tag, firstSeq, count, bodies, bodyLength, signatures);
    }

    /// <summary>The most customers the bodies name (five digits).</summary>
    public const int MaxCustomers = 100_000;

    // Fixed width: the sequence number is zero-padded, the amount always has four digits, the customer five: by default
    // one of 100,000 customers, as a shop's payments name many customers (each event also changes its customer); fewer
    // (--customers) make each customer a busy object that many events reach at once.
    private static string BodyOf(string tag, long seq, int customers) =>
        $$$"""{"id":"{{{EventIdOf(tag, seq)}}}","type":"payment.completed","data":{"id":"pay_{{{tag}}}_{{{seq:D10}}}","amount":{{{1000 + (seq % 9000)}}},"currency":"usd","customer":"cus_{{{seq % customers:D5}}}"}}""";
}
