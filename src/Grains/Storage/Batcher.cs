using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orleans.Webhooks.Grains.Processing;

namespace Orleans.Webhooks.Grains.Storage;

/// <summary>
/// Group commit: callers enqueue one item each and await its result; a few workers take whatever has queued up
/// and run it as one database round trip and one commit. Under load many events share a commit; alone, an item
/// goes out at once. Callers only see a result after their batch's commit. For work nobody waits on (publishing), a
/// linger makes each worker wait a moment before taking a batch, so that batches stay large at any rate.
/// Results complete their callers inline: a grain's continuation is only queued to its activation by that (it resumes
/// there, never on the worker). Other callers run on the worker until their next await: the processor's run after its
/// outcome is recorded starts the next event's dispatch, which awaits its first grain call at once. A hop through the
/// thread pool per item would cost more than that delays the rest of the batch.
/// A batch fails as a whole only for an outage (<see cref="TransientFailures"/>); any other failure may lie in one of its
/// items, so the batch runs again in halves down to single items and only the item that cannot be written fails.
/// </summary>
internal sealed partial class Batcher<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> _execute;
    private readonly int _maxBatch;
    private readonly TimeSpan _linger;
    private readonly string _name;
    private readonly ILogger _logger;
    /// <summary>How long disposing waits for the queued work to run before cancelling the batch in flight.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _workers;

    public Batcher(
        string name,
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> execute,
        int workers,
        int maxBatch,
        ILogger logger,
        TimeSpan linger = default)
    {
        _linger = linger;
        _name = name;
        _execute = execute;
        _maxBatch = maxBatch;
        _logger = logger;
        _workers = Enumerable.Range(0, workers).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    public Task<TResult> EnqueueAsync(TItem item)
    {
        var completion = new TaskCompletionSource<TResult>();
        if (!_queue.Writer.TryWrite(new Pending(item, completion)))
        {
            throw new ObjectDisposedException(_name);
        }
        return completion.Task;
    }

    /// <summary>Queues an item nobody waits for; a failed batch is logged. False once the batcher is shutting down.</summary>
    public bool TryPost(TItem item) => _queue.Writer.TryWrite(new Pending(item, null));

    private async Task RunAsync()
    {
        var batch = new Pending[_maxBatch];
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (_linger > TimeSpan.Zero)
            {
                await Task.Delay(_linger).ConfigureAwait(false); // let a batch gather: for work nobody waits on
            }
            var count = 0;
            while (count < _maxBatch && reader.TryRead(out var next))
            {
                batch[count++] = next;
            }
            if (count == 0)
            {
                continue;
            }
            await RunAsync(new ArraySegment<Pending>(batch, 0, count), whole: true).ConfigureAwait(false);
            Array.Clear(batch, 0, count);
        }
    }

    /// <summary>
    /// Runs a group of items as one statement. A group that failed for something one of its items holds runs again in
    /// halves, down to single items, so that only the item that cannot be written fails and every other one gets the
    /// answer it would have had alone. Halves run in order: a later item of a key is still written after an earlier one.
    /// </summary>
    private async Task RunAsync(ArraySegment<Pending> group, bool whole)
    {
        try
        {
            var items = new TItem[group.Count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = group[i].Item;
            }
            var results = await _execute(items, _stopping.Token).ConfigureAwait(false);
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Completion?.TrySetResult(results[i]);
            }
        }
        catch (Exception ex) when (group.Count > 1 && IsItsItems(ex))
        {
            if (whole)
            {
                LogBatchSplit(_logger, ex, _name, group.Count);
            }
            await RunAsync(group[..(group.Count / 2)], whole: false).ConfigureAwait(false);
            await RunAsync(group[(group.Count / 2)..], whole: false).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (group.Count == 1 && IsItsItems(ex))
            {
                LogItemFailed(_logger, ex, _name);
            }
            else
            {
                LogBatchFailed(_logger, ex, _name, group.Count);
            }
            foreach (var pending in group)
            {
                pending.Completion?.TrySetException(ex);
            }
        }
    }

    /// <summary>
    /// A failure that may lie in the items rather than in the database or the connection (those are transient: retrying a
    /// smaller group would only fail again, and the callers answer 503 at once). Cancellation on disposal ends the batch.
    /// </summary>
    private bool IsItsItems(Exception exception) =>
        !TransientFailures.Is(exception) && !(exception is OperationCanceledException && _stopping.IsCancellationRequested);

    /// <summary>Takes no more items and runs what is queued; a batch still running after <see cref="DrainTimeout"/> is cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        var workers = Task.WhenAll(_workers);
        try
        {
            await workers.WaitAsync(DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await workers.ConfigureAwait(false);
        }
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Batch {Batch} of {Count} items failed")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, string batch, int count);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Batch {Batch} of {Count} items failed for one of its items; retrying it in halves")]
    private static partial void LogBatchSplit(ILogger logger, Exception exception, string batch, int count);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "An item of batch {Batch} cannot be written; it alone fails")]
    private static partial void LogItemFailed(ILogger logger, Exception exception, string batch);

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult>? Completion);
}
