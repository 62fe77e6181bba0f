using System.ComponentModel.DataAnnotations;

namespace Orleans.Webhooks.Grains.Retention;

/// <summary>
/// <c>Webhooks:Retention</c>: how long stored events, the change log and the audit of refused deliveries are kept. Read by the silos
/// (the retention job, and whatever trims per-object state by the same horizon).
/// </summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Webhooks:Retention";

    /// <summary>
    /// Stored events (raw payload included) older than this are deleted once processed; a delivery of an event id older
    /// than this is then accepted as new. The default is longer than any provider's retry horizon (Stripe's is 3 days).
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Events { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Changes of the change log older than this are deleted once every configured destination has delivered them (a
    /// destination that is behind or paused holds them back). A consumer of <c>GET /api/changes</c> whose cursor is older
    /// is told so (410) and reconciles from the lists of current views.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Changes { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Rows and counts of refused deliveries older than this are deleted.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan Rejections { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often a silo tries to run the job (one silo at a time runs it).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Rows deleted per statement: each batch is its own short transaction, so the hot table is never locked for long.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1_000;
}
