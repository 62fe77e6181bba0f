using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.Tests.Storage;

/// <summary>The group-commit queue on its own: batching, results in order, failures reaching every caller of a batch.</summary>
public sealed class BatcherTests
{
    [Fact]
    public async Task ItemsQueuedDuringTheLingerGoOutAsOneBatch()
    {
        var batches = new ConcurrentQueue<int>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = 0;
        await using var batcher = new Batcher<int, bool>("test", (items, _) =>
        {
            batches.Enqueue(items.Count);
            if (Interlocked.Add(ref seen, items.Count) == 100)
            {
                done.SetResult();
            }
            return Task.FromResult<IReadOnlyList<bool>>(items.Select(_ => true).ToArray());
        }, workers: 1, maxBatch: 256, NullLogger.Instance, linger: TimeSpan.FromMilliseconds(200));

        for (var i = 0; i < 100; i++)
        {
            Assert.True(batcher.TryPost(i));
        }
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([100], batches);
    }

    [Fact]
    public async Task EachCallerGetsItsOwnItemsResult()
    {
        await using var batcher = new Batcher<int, int>("test", (items, _) =>
            Task.FromResult<IReadOnlyList<int>>(items.Select(i => i * 10).ToArray()),
            workers: 2, maxBatch: 8, NullLogger.Instance);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(batcher.EnqueueAsync));

        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * 10), results);
    }

    [Fact]
    public async Task AFailedBatchFailsEveryCallerInItAndTheNextBatchRuns()
    {
        var calls = 0;
        await using var batcher = new Batcher<int, bool>("test", (items, _) =>
            Interlocked.Increment(ref calls) == 1
                ? Task.FromException<IReadOnlyList<bool>>(new InvalidOperationException("database down"))
                : Task.FromResult<IReadOnlyList<bool>>(items.Select(_ => true).ToArray()),
            workers: 1, maxBatch: 256, NullLogger.Instance, linger: TimeSpan.FromMilliseconds(100));

        var first = Enumerable.Range(0, 3).Select(batcher.EnqueueAsync).ToArray();
        foreach (var call in first)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => call);
            Assert.Equal("database down", error.Message);
        }
        Assert.True(await batcher.EnqueueAsync(4));
    }

    [Fact]
    public async Task AfterDisposal_PostIsRefusedNotThrown()
    {
        var batcher = new Batcher<int, bool>("test", (items, _) =>
            Task.FromResult<IReadOnlyList<bool>>(items.Select(_ => true).ToArray()), workers: 1, maxBatch: 8, NullLogger.Instance);
        await batcher.DisposeAsync();

        Assert.False(batcher.TryPost(1));
    }
}
