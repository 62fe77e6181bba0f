using Orleans.Webhooks.Grains.ChangeLog;

namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// The changes a destination has read but not yet delivered. Objects are delivered in parallel, one object's changes in
/// change order: a batch takes the front changes of objects with nothing in flight, and an object stays busy until its
/// batch is finished. The cursor is the highest number up to which every change is delivered, parked or passed over, so
/// a sender that restarts from it loses nothing and repeats only what was in flight.
/// </summary>
internal sealed class ChangeWindow(long cursor)
{
    private readonly SortedDictionary<long, DateTimeOffset> _pending = [];
    private readonly Dictionary<(string, string, string), Queue<Change>> _queues = [];
    private readonly HashSet<(string, string, string)> _busy = [];
    // Objects with a change to send and nothing in flight; an object whose batch failed goes back to the front.
    private readonly LinkedList<(string, string, string)> _ready = new();

    /// <summary>The newest change read.</summary>
    public long ReadUpTo { get; private set; } = cursor;

    public long Cursor => _pending.Count == 0 ? ReadUpTo : _pending.First().Key - 1;

    /// <summary>Read and not yet delivered.</summary>
    public int Pending => _pending.Count;

    /// <summary>When the oldest undelivered change was made; null when all is delivered.</summary>
    public DateTimeOffset? OldestPendingAt => _pending.Count == 0 ? null : _pending.First().Value;

    public void Add(Change change)
    {
        if (change.Seq <= ReadUpTo)
        {
            throw new ArgumentException($"change {change.Seq} is not after {ReadUpTo}", nameof(change));
        }
        ReadUpTo = change.Seq;
        if (change.View is null)
        {
            return;
        }
        _pending.Add(change.Seq, change.At);
        var key = change.Object;
        if (!_queues.TryGetValue(key, out var queue))
        {
            _queues[key] = queue = new Queue<Change>();
        }
        queue.Enqueue(change);
        if (queue.Count == 1 && !_busy.Contains(key))
        {
            _ready.AddLast(key);
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> changes to send in one POST, in change order: the front changes of ready objects
    /// (several of one object when it has several waiting). <paramref name="capOf"/> can lower the size of a batch that holds a given change
    /// (a change that failed goes in smaller batches, down to alone). Empty when nothing is ready.
    /// </summary>
    public IReadOnlyList<Change> TakeBatch(int max, Func<Change, int> capOf)
    {
        var batch = new List<Change>();
        var cap = Math.Max(1, max);
        var node = _ready.First;
        while (node is not null && batch.Count < cap)
        {
            var next = node.Next;
            var key = node.Value;
            if (!_queues.TryGetValue(key, out var queue) || _busy.Contains(key))
            {
                _ready.Remove(node);
                node = next;
                continue;
            }
            var took = 0;
            foreach (var change in queue)
            {
                var lowered = Math.Min(cap, Math.Max(1, capOf(change)));
                if (batch.Count >= lowered)
                {
                    break; // this change goes in a smaller batch: the next one
                }
                cap = lowered;
                batch.Add(change);
                took++;
                if (batch.Count >= cap)
                {
                    break;
                }
            }
            if (took == 0)
            {
                break;
            }
            _busy.Add(key);
            _ready.Remove(node);
            node = next;
        }
        // Change order across objects too: a receiver that applies a batch in its order applies the commits' order.
        batch.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        return batch;
    }

    /// <summary>
    /// A batch from <see cref="TakeBatch"/> is finished: its first <paramref name="done"/> changes are delivered (or
    /// parked) and leave the window; the rest are ready to be taken again first, in the same order.
    /// </summary>
    public void Finish(IReadOnlyList<Change> batch, int done)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(done);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(done, batch.Count);
        var objects = new List<(string, string, string)>();
        var seen = new HashSet<(string, string, string)>();
        foreach (var change in batch)
        {
            if (seen.Add(change.Object))
            {
                objects.Add(change.Object);
                if (!_busy.Contains(change.Object))
                {
                    throw new InvalidOperationException($"change {change.Seq} was not in flight");
                }
            }
        }
        var undone = batch.Skip(done).Select(c => c.Object).ToHashSet();
        for (var i = 0; i < done; i++)
        {
            var change = batch[i];
            if (!_queues.TryGetValue(change.Object, out var queue) || !queue.TryPeek(out var front) || !ReferenceEquals(front, change))
            {
                throw new InvalidOperationException($"change {change.Seq} is not its object's next change");
            }
            queue.Dequeue();
            _pending.Remove(change.Seq);
        }
        var again = new List<(string, string, string)>();
        foreach (var key in objects)
        {
            _busy.Remove(key);
            var queue = _queues[key];
            if (queue.Count == 0)
            {
                _queues.Remove(key);
            }
            else if (undone.Contains(key))
            {
                again.Add(key);
            }
            else
            {
                _ready.AddLast(key);
            }
        }
        for (var i = again.Count - 1; i >= 0; i--)
        {
            _ready.AddFirst(again[i]);
        }
    }

    /// <summary>The next change of an object with nothing in flight, alone; that object is busy until <see cref="Complete"/>.</summary>
    public bool TryTake(out Change change)
    {
        var batch = TakeBatch(1, _ => 1);
        change = batch.Count == 1 ? batch[0] : null!;
        return batch.Count == 1;
    }

    /// <summary>The change taken alone last for its object is delivered; the object's next change becomes ready.</summary>
    public void Complete(Change change) => Finish([change], 1);
}
