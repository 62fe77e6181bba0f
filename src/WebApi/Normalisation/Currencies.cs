namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>ISO 4217 minor-unit exponents, for turning a provider's minor units into a decimal amount in major units.</summary>
public static class Currencies
{
    private static readonly HashSet<string> ZeroDecimal = new(StringComparer.OrdinalIgnoreCase)
    {
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    };

    private static readonly HashSet<string> ThreeDecimal = new(StringComparer.OrdinalIgnoreCase)
    {
        "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND",
    };

    private static readonly HashSet<string> FourDecimal = new(StringComparer.OrdinalIgnoreCase) { "CLF", "UYW" };

    public static int Exponent(string? currency) => currency switch
    {
        null => 2,
        _ when ZeroDecimal.Contains(currency) => 0,
        _ when ThreeDecimal.Contains(currency) => 3,
        _ when FourDecimal.Contains(currency) => 4,
        _ => 2,
    };

    /// <summary>
    /// The exponent of Stripe's amounts, which differs from ISO 4217 for two currencies: Stripe's list of zero-decimal
    /// currencies (stripe.com/docs/currencies) leaves out the Icelandic króna, which it counts in hundredths (ISO: none),
    /// and includes the Malagasy ariary (ISO: two).
    /// </summary>
    public static int StripeExponent(string? currency) => currency switch
    {
        _ when string.Equals(currency, "ISK", StringComparison.OrdinalIgnoreCase) => 2,
        _ when string.Equals(currency, "MGA", StringComparison.OrdinalIgnoreCase) => 0,
        _ => Exponent(currency),
    };

    public static decimal FromMinorUnits(long minorUnits, int exponent)
    {
        var amount = (decimal)minorUnits;
        for (var i = exponent; i > 0; i--)
        {
            amount /= 10m;
        }
        return amount;
    }
}
