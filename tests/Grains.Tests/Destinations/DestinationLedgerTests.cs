using Orleans.Webhooks.Grains.ChangeLog;
using Orleans.Webhooks.Grains.Destinations;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.Interfaces.Destinations;

namespace Orleans.Webhooks.Grains.Tests.Destinations;

/// <summary>A destination's row between writes: what a write carries, and what happens when it fails or loses to another activation.</summary>
public sealed class DestinationLedgerTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch.AddDays(20_000);

    private readonly List<(DestinationRow Row, long Expected, RecordedAttempt[] Attempts, bool Trim)> _writes = [];
    private Func<long?> _answer = () => null;

    private DestinationLedger Ledger(long version = 7)
    {
        var ledger = new DestinationLedger((row, expected, attempts, trim, _) =>
        {
            _writes.Add((row, expected, [.. attempts], trim));
            return Task.FromResult(_answer());
        });
        ledger.Load(new DestinationRow(10, false, null, null, version));
        _answer = () => _writes[^1].Expected + 1;
        return ledger;
    }

    private static RecordedAttempt Attempt(int id) =>
        new(new DeliveryAttempt { ChangeId = $"{id}", Status = 200, At = T0.AddSeconds(id) }, AttemptOutcome.Delivered);

    private static Change Of(long seq) => new(seq, "payment", "hmac", $"o{seq}", "{}", $"hmac:evt_{seq}", "payment.completed", T0);

    [Fact]
    public async Task Save_WritesCursorPauseTrackerStateAndAttempts_AgainstTheVersionItRead()
    {
        var ledger = Ledger();
        ledger.Record(Attempt(1));
        ledger.Tracker.Failed([Of(11)], 1, T0, T0.AddSeconds(1), 503, "HTTP 503", new DestinationOptions());
        ledger.Paused = true;
        Assert.True(ledger.HasUnsaved);

        Assert.True(await ledger.SaveAsync(42, CancellationToken.None));

        var (row, expected, attempts, _) = Assert.Single(_writes);
        Assert.Equal((42L, true, "change 11: HTTP 503", (DateTimeOffset?)T0, 7L), (row.Cursor, row.Paused, row.LastError, row.FailingSince, expected));
        Assert.Equal("1", Assert.Single(attempts).Attempt.ChangeId);
        Assert.Equal((42L, 8L), (ledger.Row.Cursor, ledger.Row.Version));
        Assert.False(ledger.HasUnsaved);
    }

    [Fact]
    public async Task FailedWrite_KeepsItsAttemptsForTheNextWrite_BeforeNewerOnes()
    {
        var ledger = Ledger();
        ledger.Record(Attempt(1));
        ledger.Record(Attempt(2));
        _answer = () => throw new TimeoutException("database down");

        await Assert.ThrowsAsync<TimeoutException>(() => ledger.SaveAsync(11, CancellationToken.None));
        Assert.Equal(["2", "1"], ledger.Unsaved(10).Select(a => a.ChangeId));

        ledger.Record(Attempt(3));
        _answer = () => 8;
        Assert.True(await ledger.SaveAsync(12, CancellationToken.None));
        Assert.Equal(["1", "2", "3"], _writes[^1].Attempts.Select(a => a.Attempt.ChangeId));
        Assert.Empty(ledger.Unsaved(10));
    }

    [Fact]
    public async Task RowWrittenByAnotherActivation_StaleUntilLoaded_NothingWrittenMeanwhile()
    {
        var ledger = Ledger();
        _answer = () => null;

        Assert.False(await ledger.SaveAsync(11, CancellationToken.None));
        Assert.True(ledger.Stale);
        Assert.False(await ledger.SaveAsync(12, CancellationToken.None));
        Assert.Single(_writes);
        Assert.Equal(10, ledger.Row.Cursor);

        ledger.Load(new DestinationRow(20, true, "from the other", null, 9));
        _answer = () => 10;
        Assert.False(ledger.Stale);
        Assert.True(ledger.Paused);
        Assert.True(await ledger.SaveAsync(21, CancellationToken.None));
        Assert.Equal(9, _writes[^1].Expected);
    }

    [Fact]
    public async Task Trim_AskedOnceEnoughAttemptsAreWritten()
    {
        var ledger = Ledger();
        for (var i = 0; i < DestinationLedger.TrimEvery - 1; i++)
        {
            ledger.Record(Attempt(i));
        }
        Assert.True(await ledger.SaveAsync(11, CancellationToken.None));
        ledger.Record(Attempt(-1));
        Assert.True(await ledger.SaveAsync(12, CancellationToken.None));
        ledger.Record(Attempt(-2));
        Assert.True(await ledger.SaveAsync(13, CancellationToken.None));

        Assert.Equal([false, true, false], _writes.Select(w => w.Trim));
    }
}
