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
}
