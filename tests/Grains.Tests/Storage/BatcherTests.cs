using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.Tests.Storage;

/// <summary>The group-commit queue on its own: batching, results in order, outages reaching every caller of a batch, a bad item failing alone.</summary>
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
    public async Task AnOutageFailsEveryCallerInTheBatchWithoutSplittingAndTheNextBatchRuns()
    {
        var calls = new ConcurrentQueue<int>();
        await using var batcher = new Batcher<int, bool>("test", (items, _) =>
        {
            calls.Enqueue(items.Count);
            return calls.Count == 1
                ? Task.FromException<IReadOnlyList<bool>>(new TimeoutException("database down"))
                : Task.FromResult<IReadOnlyList<bool>>(items.Select(_ => true).ToArray());
        }, workers: 1, maxBatch: 256, NullLogger.Instance, linger: TimeSpan.FromMilliseconds(100));

        var first = Enumerable.Range(0, 3).Select(batcher.EnqueueAsync).ToArray();
        foreach (var call in first)
        {
            var error = await Assert.ThrowsAsync<TimeoutException>(() => call);
            Assert.Equal("database down", error.Message);
        }
        Assert.True(await batcher.EnqueueAsync(4));
        Assert.Equal([3, 1], calls);
    }

    [Fact]
    public async Task OneItemThatCannotBeWritten_FailsAlone_EveryOtherItemGetsItsOwnResult()
    {
        const int Poison = 13;
        var calls = new ConcurrentQueue<int[]>();
        await using var batcher = new Batcher<int, int>("test", (items, _) =>
        {
            calls.Enqueue([.. items]);
            return items.Contains(Poison)
                ? Task.FromException<IReadOnlyList<int>>(new InvalidOperationException("cannot write 13"))
                : Task.FromResult<IReadOnlyList<int>>(items.Select(i => i * 10).ToArray());
        }, workers: 1, maxBatch: 256, NullLogger.Instance, linger: TimeSpan.FromMilliseconds(200));

        var calls50 = Enumerable.Range(0, 50).Select(batcher.EnqueueAsync).ToArray();
        var answers = await Task.WhenAll(calls50.Select(async call =>
        {
            try
            {
                return (Result: await call, Error: (Exception?)null);
            }
            catch (Exception ex)
            {
                return (Result: 0, Error: ex);
            }
        }));

        for (var i = 0; i < 50; i++)
        {
            if (i == Poison)
            {
                Assert.Equal("cannot write 13", Assert.IsType<InvalidOperationException>(answers[i].Error).Message);
            }
            else
            {
                Assert.Null(answers[i].Error);
                Assert.Equal(i * 10, answers[i].Result);
            }
        }
        var all = calls.ToArray();
        Assert.Equal(Enumerable.Range(0, 50), all[0]); // the fast path: one call for the whole batch
        Assert.Contains(all, c => c is [Poison]); // split down to the item alone
        // Halving costs about two calls per level (log2 50 ≈ 6), not one per item.
        Assert.InRange(all.Length, 2, 14);
        Assert.Equal(49, all.Skip(1).Where(c => !c.Contains(Poison)).Sum(c => c.Length));
    }

    [Fact]
    public async Task AnOutageWhileSplitting_FailsTheItemsOfThatPartOnly()
    {
        var calls = 0;
        await using var batcher = new Batcher<int, bool>("test", (items, _) =>
        {
            var call = Interlocked.Increment(ref calls);
            return call switch
            {
                1 => Task.FromException<IReadOnlyList<bool>>(new InvalidOperationException("one of them")), // all 4: split
                2 => Task.FromException<IReadOnlyList<bool>>(new TimeoutException("outage")), // first half [0, 1]
                _ => Task.FromResult<IReadOnlyList<bool>>(items.Select(_ => true).ToArray()), // second half [2, 3]
            };
        }, workers: 1, maxBatch: 256, NullLogger.Instance, linger: TimeSpan.FromMilliseconds(100));

        var pending = Enumerable.Range(0, 4).Select(batcher.EnqueueAsync).ToArray();

        await Assert.ThrowsAsync<TimeoutException>(() => pending[0]);
        await Assert.ThrowsAsync<TimeoutException>(() => pending[1]);
        Assert.True(await pending[2]);
        Assert.True(await pending[3]);
        Assert.Equal(3, calls);
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
