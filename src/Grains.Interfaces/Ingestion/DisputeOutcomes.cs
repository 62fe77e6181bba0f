namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>How a dispute ends (<see cref="EventDetails.Outcome"/> of a <see cref="EventTypes.DisputeClosed"/>).</summary>
public static class DisputeOutcomes
{
    /// <summary>The merchant keeps the money: the payment's status is what it was before the dispute.</summary>
    public const string Won = "won";

    /// <summary>The money went back to the buyer: the payment is charged back.</summary>
    public const string Lost = "lost";
}
