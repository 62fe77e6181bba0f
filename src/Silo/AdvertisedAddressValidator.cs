using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Configuration;

namespace Orleans.Webhooks.Silo;

/// <summary>A silo's own check of the <c>Orleans</c> section, beside the one it shares with the web API (<see cref="OrleansOptionsValidator"/>).</summary>
public sealed class AdvertisedAddressValidator : IValidateOptions<OrleansOptions>
{
    public ValidateOptionsResult Validate(string? name, OrleansOptions options) =>
        AdvertisedAddress.Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
