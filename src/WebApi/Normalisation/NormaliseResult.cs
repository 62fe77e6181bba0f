namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>Either an event or the reason the (correctly signed) body cannot be read, which becomes a 400.</summary>
public readonly record struct NormaliseResult(NormalisedEvent? Event, string? Error)
{
    public static NormaliseResult Ok(NormalisedEvent evt) => new(evt, null);

    public static NormaliseResult Invalid(string error) => new(null, error);

    public static implicit operator NormaliseResult(NormalisedEvent evt) => Ok(evt);
}
