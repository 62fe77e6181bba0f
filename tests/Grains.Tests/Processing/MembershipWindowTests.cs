using Microsoft.Extensions.Time.Testing;
using Orleans.Webhooks.Grains.Processing;

namespace Orleans.Webhooks.Grains.Tests.Processing;

public sealed class MembershipWindowTests
{
    private static readonly TimeSpan RecoverAfter = TimeSpan.FromSeconds(30);

    [Fact]
    public void SiloStarting_OpensTheWindow_ThenItClosesAfterItsLength()
    {
        var time = new FakeTimeProvider();
        var window = new MembershipWindow(time);
        Assert.Equal(TimeSpan.Zero, window.Early(RecoverAfter));

        Assert.Equal(TimeSpan.FromSeconds(5), window.SweepInterval(TimeSpan.FromSeconds(5)));

        Assert.True(window.Observe(["silo-a"]));
        Assert.Equal(RecoverAfter - MembershipWindow.InFlightGrace, window.Early(RecoverAfter));
        Assert.Equal(MembershipWindow.SweepIntervalWhileOpen, window.SweepInterval(TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromMilliseconds(200), window.SweepInterval(TimeSpan.FromMilliseconds(200)));

        time.Advance(MembershipWindow.Length - TimeSpan.FromSeconds(1));
        Assert.True(window.IsOpen);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(window.IsOpen);
        Assert.Equal(TimeSpan.Zero, window.Early(RecoverAfter));
        Assert.Equal(TimeSpan.FromSeconds(5), window.SweepInterval(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void SameSilos_KeepTheWindowShut_AJoinOrADeathOpensItAgain()
    {
        var time = new FakeTimeProvider();
        var window = new MembershipWindow(time);
        window.Observe(["silo-a", "silo-b"]);
        time.Advance(MembershipWindow.Length);

        Assert.False(window.Observe(["silo-b", "silo-a"]));
        Assert.False(window.IsOpen);

        Assert.True(window.Observe(["silo-a"]));
        Assert.True(window.IsOpen);
        time.Advance(MembershipWindow.Length);

        Assert.True(window.Observe(["silo-a", "silo-c"]));
        Assert.True(window.IsOpen);
    }

    [Fact]
    public void RecoverAfterShorterThanTheGrace_NothingEarly()
    {
        var window = new MembershipWindow(new FakeTimeProvider());
        window.Observe(["silo-a"]);

        Assert.Equal(TimeSpan.Zero, window.Early(TimeSpan.FromSeconds(2)));
    }
}
