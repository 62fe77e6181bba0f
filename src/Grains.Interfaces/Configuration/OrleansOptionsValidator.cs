using Microsoft.Extensions.Options;

namespace Orleans.Webhooks.Grains.Interfaces.Configuration;

/// <summary>Generated at build time from the data annotations of <see cref="OrleansOptions"/>; the silo and the web API both run it.</summary>
[OptionsValidator]
public sealed partial class OrleansOptionsValidator : IValidateOptions<OrleansOptions>;
