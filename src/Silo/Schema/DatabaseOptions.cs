namespace Orleans.Webhooks.Silo.Schema;

/// <summary>The <c>Webhooks:Database</c> section: what a silo does to the database schema at start.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Webhooks:Database";

    /// <summary>
    /// True: a silo applies the numbered <c>deploy/sql</c> files it ships with before it joins the cluster. False, for
    /// operators who migrate separately: the silo expects the schema to be there.
    /// </summary>
    public bool ApplySchema { get; set; } = true;
}
