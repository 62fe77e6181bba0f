using Orleans.Webhooks.Grains.Interfaces.Destinations;

namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// What a destination's sender keeps of its row in destination_state between writes: the row as last written, whether
/// the destination is paused, the <see cref="DeliveryTracker"/> of its failing changes, and the attempts not written
/// yet. A write names the version it read; when another activation of the destination wrote the row since, the write
/// changes nothing and the ledger is <see cref="Stale"/> until the row is loaded again.
/// </summary>
internal sealed class DestinationLedger(DestinationLedger.WriteRow write)
{
    /// <summary>Writes the row and attempts if the stored version is <c>expectedVersion</c>: the new version, else null.</summary>
    public delegate Task<long?> WriteRow(DestinationRow row, long expectedVersion, IReadOnlyList<RecordedAttempt> attempts, bool trim, CancellationToken cancellationToken);

    /// <summary>Attempts written between two trims of the table down to <see cref="DestinationStore.KeptAttempts"/>.</summary>
    public const int TrimEvery = DestinationStore.KeptAttempts / 10;

    private readonly List<RecordedAttempt> _unsaved = [];
    private int _attemptsSinceTrim;

    public DeliveryTracker Tracker { get; } = new();

    /// <summary>The row as last loaded or written.</summary>
    public DestinationRow Row { get; private set; } = new(0, false, null, null, 0);

    public bool Paused { get; set; }

    /// <summary>Another activation wrote the row: nothing is written until <see cref="Load"/>.</summary>
    public bool Stale { get; private set; }

    /// <summary>Attempts not written yet, or a failing-since not saved yet.</summary>
    public bool HasUnsaved => _unsaved.Count > 0 || Tracker.FailingSince != Row.FailingSince;

    public void Load(DestinationRow row)
    {
        Row = row;
        Paused = row.Paused;
        Tracker.Load(row.LastError, row.FailingSince);
        Stale = false;
    }

    public void Record(RecordedAttempt attempt) => _unsaved.Add(attempt);

    /// <summary>The newest attempts not written yet, newest first.</summary>
    public IReadOnlyList<DeliveryAttempt> Unsaved(int limit) => _unsaved.AsEnumerable().Reverse().Take(limit).Select(a => a.Attempt).ToList();

    /// <summary>
    /// Writes the cursor, state and attempts; false when the ledger is stale or becomes so (another activation wrote
    /// the row). When the write fails, its attempts are kept for the next one (up to what the table keeps anyway).
    /// </summary>
    public async Task<bool> SaveAsync(long cursor, CancellationToken cancellationToken)
    {
        if (Stale)
        {
            return false;
        }
        var row = new DestinationRow(cursor, Paused, Tracker.LastError, Tracker.FailingSince, Row.Version);
        var attempts = _unsaved.ToArray();
        _unsaved.Clear();
        var trim = _attemptsSinceTrim + attempts.Length >= TrimEvery;
        long? version;
        try
        {
            version = await write(row, Row.Version, attempts, trim, cancellationToken);
        }
        catch
        {
            _unsaved.InsertRange(0, attempts.TakeLast(DestinationStore.KeptAttempts - _unsaved.Count));
            throw;
        }
        _attemptsSinceTrim = trim ? 0 : _attemptsSinceTrim + attempts.Length;
        if (version is null)
        {
            Stale = true;
            return false;
        }
        Row = row with { Version = version.Value };
        return true;
    }
}
