namespace Orleans.Webhooks.Grains.ChangeLog;

/// <summary>
/// What the retention job (<see cref="Retention.RetentionJob"/>) runs on the change log. It deletes by number, not by
/// time: a change's time is its transaction's start, and a transaction that started earlier can take its number later,
/// so deleting by time could leave a gap in the middle of the log. Deleting only from its start keeps the one gap the
/// feed recognises (a reader's next number is missing: 410).
/// </summary>
internal static class ChangeLogRetention
{
    /// <summary>
    /// How far the log may be deleted: up to the newest change older than <c>@cutoff</c>, and no further than the lowest
    /// cursor of the configured destinations <c>@destinations</c> (one without a row yet starts from the beginning, so it
    /// holds everything back).
    /// </summary>
    public const string DeletableUpTo = """
        SELECT LEAST(
            COALESCE((SELECT max(seq) FROM changes WHERE at < @cutoff), 0),
            (SELECT CASE WHEN count(*) < cardinality(@destinations) THEN 0 ELSE COALESCE(min(cursor), 9223372036854775807) END
             FROM destination_state WHERE name = ANY(@destinations)))
        """;

    /// <summary>Deletes up to <c>@batch</c> of the oldest changes numbered up to <c>@up_to</c>.</summary>
    public const string DeleteUpTo = """
        DELETE FROM changes
        WHERE seq IN (SELECT seq FROM changes WHERE seq <= @up_to ORDER BY seq LIMIT @batch)
        """;
}
