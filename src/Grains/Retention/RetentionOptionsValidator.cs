using Microsoft.Extensions.Options;

namespace Orleans.Webhooks.Grains.Retention;

/// <summary>Generated at build time from the data annotations of <see cref="RetentionOptions"/>.</summary>
[OptionsValidator]
public sealed partial class RetentionOptionsValidator : IValidateOptions<RetentionOptions>;
