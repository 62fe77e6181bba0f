using Orleans.Webhooks.Grains.ChangeLog;
using Orleans.Webhooks.Grains.Destinations;

namespace Orleans.Webhooks.Grains.Tests.Destinations;

public sealed class ChangeWindowTests
{
    private static Change Of(long seq, string id, string? view = "{}") =>
        new(seq, "payment", "hmac", id, view, $"hmac:evt_{seq}", "payment.completed", DateTimeOffset.UnixEpoch.AddSeconds(seq));

    [Fact]
    public void ObjectsGoInParallel_OneObjectsChangesOneAfterTheOther()
    {
        var window = new ChangeWindow(0);
        window.Add(Of(1, "a"));
        window.Add(Of(2, "a"));
        window.Add(Of(3, "b"));

        Assert.True(window.TryTake(out var first));
        Assert.True(window.TryTake(out var second));
        Assert.False(window.TryTake(out _)); // a's second change waits for its first
        Assert.Equal((1L, 3L), (first.Seq, second.Seq));

        window.Complete(first);
        Assert.True(window.TryTake(out var third));
        Assert.Equal(2, third.Seq);
    }

    [Fact]
    public void Cursor_IsBelowTheOldestUndeliveredChange()
    {
        var window = new ChangeWindow(10);
        window.Add(Of(11, "a"));
        window.Add(Of(12, "b"));
        window.Add(Of(13, "c"));
        Assert.True(window.TryTake(out var a));
        Assert.True(window.TryTake(out var b));
        Assert.True(window.TryTake(out var c));

        window.Complete(b);
        window.Complete(c);
        Assert.Equal(10, window.Cursor); // 11 is still in flight
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(11), window.OldestPendingAt);

        window.Complete(a);
        Assert.Equal(13, window.Cursor);
        Assert.Null(window.OldestPendingAt);
    }

    [Fact]
    public void ChangesOfOtherKinds_MoveTheCursorWithoutBeingSent()
    {
        var window = new ChangeWindow(0);
        window.Add(Of(1, "a", view: null));
        window.Add(Of(2, "b", view: null));

        Assert.False(window.TryTake(out _));
        Assert.Equal(2, window.Cursor);
        Assert.Equal(0, window.Pending);
    }

    [Fact]
    public void Add_RefusesAChangeThatIsNotAfterTheLastOneRead()
    {
        var window = new ChangeWindow(5);
        Assert.Throws<ArgumentException>(() => window.Add(Of(5, "a")));
    }

    [Fact]
    public void TakeBatch_TakesReadyObjectsFrontChangesInOrder_UpToTheMax()
    {
        var window = new ChangeWindow(0);
        foreach (var (seq, id) in new[] { (1L, "a"), (2L, "b"), (3L, "a"), (4L, "c"), (5L, "a") })
        {
            window.Add(Of(seq, id));
        }

        var first = window.TakeBatch(4, _ => 4);
        Assert.Equal([1L, 2, 3, 5], first.Select(c => c.Seq)); // a's three changes and b's, in change order
        Assert.Equal([4L], window.TakeBatch(4, _ => 4).Select(c => c.Seq));
        Assert.Empty(window.TakeBatch(4, _ => 4)); // a, b and c are in flight

        window.Finish(first, first.Count);
        Assert.Equal(3, window.Cursor); // c's change 4 is still in flight
        Assert.Equal(1, window.Pending);
    }

    [Fact]
    public void Finish_WhatIsNotDoneGoesFirstInTheNextBatch_InTheSameOrder()
    {
        var window = new ChangeWindow(0);
        foreach (var (seq, id) in new[] { (1L, "a"), (2L, "b"), (3L, "a"), (4L, "c"), (5L, "d") })
        {
            window.Add(Of(seq, id));
        }
        var batch = window.TakeBatch(3, _ => 3); // 1, 3 (a), 2 (b), in change order: 1, 2, 3

        window.Finish(batch, 1); // a's first change delivered; the rest given back, and taken first
        Assert.Equal([2L, 3], window.TakeBatch(2, _ => 10).Select(c => c.Seq));
        Assert.Equal([4L, 5], window.TakeBatch(10, _ => 10).Select(c => c.Seq));
        Assert.Equal(1, window.Cursor);
    }

    [Fact]
    public void TakeBatch_AChangeWithALowerCapGoesInASmallerBatch()
    {
        var window = new ChangeWindow(0);
        for (var seq = 1L; seq <= 6; seq++)
        {
            window.Add(Of(seq, $"o{seq}"));
        }

        // 3 may go in batches of 2 at most, 5 only alone.
        int Cap(Change c) => c.Seq switch { 3 => 2, 5 => 1, _ => 10 };
        Assert.Equal([1L, 2], window.TakeBatch(10, Cap).Select(c => c.Seq)); // 3 does not fit after two
        Assert.Equal([3L, 4], window.TakeBatch(10, Cap).Select(c => c.Seq));
        Assert.Equal([5L], window.TakeBatch(10, Cap).Select(c => c.Seq));
        Assert.Equal([6L], window.TakeBatch(10, Cap).Select(c => c.Seq));
    }

    [Fact]
    public void Finish_RefusesABatchThatIsNotInFlight()
    {
        var window = new ChangeWindow(0);
        window.Add(Of(1, "a"));
        var batch = window.TakeBatch(5, _ => 5);
        window.Finish(batch, 1);

        Assert.Throws<InvalidOperationException>(() => window.Finish(batch, 1));
    }
}
