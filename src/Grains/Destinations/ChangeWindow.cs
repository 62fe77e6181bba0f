namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// The changes a destination has read but not yet delivered. Objects are delivered in parallel, one object's changes in
/// change order; the cursor is the highest number up to which every change is delivered (or passed over), so a sender
/// that restarts from it loses nothing and repeats only what was in flight.
/// </summary>
internal sealed class ChangeWindow(long cursor)
{
    private readonly SortedDictionary<long, DateTimeOffset> _pending = [];
    private readonly Dictionary<(string, string, string), Queue<Change>> _queues = [];
    private readonly HashSet<(string, string, string)> _busy = [];
    private readonly Queue<(string, string, string)> _ready = new();

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
            _ready.Enqueue(key);
        }
    }

    /// <summary>The next change of an object with nothing in flight; that object is busy until <see cref="Complete"/>.</summary>
    public bool TryTake(out Change change)
    {
        while (_ready.TryDequeue(out var key))
        {
            if (_queues.TryGetValue(key, out var queue) && queue.Count > 0 && _busy.Add(key))
            {
                change = queue.Peek();
                return true;
            }
        }
        change = null!;
        return false;
    }

    /// <summary>The change taken last for its object is delivered; the object's next change becomes ready.</summary>
    public void Complete(Change change)
    {
        var key = change.Object;
        var queue = _queues[key];
        if (!_busy.Remove(key) || !ReferenceEquals(queue.Peek(), change))
        {
            throw new InvalidOperationException($"change {change.Seq} was not in flight");
        }
        queue.Dequeue();
        _pending.Remove(change.Seq);
        if (queue.Count > 0)
        {
            _ready.Enqueue(key);
        }
        else
        {
            _queues.Remove(key);
        }
    }
}
