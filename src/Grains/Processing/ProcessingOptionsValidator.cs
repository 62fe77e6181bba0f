using Microsoft.Extensions.Options;

namespace Orleans.Webhooks.Grains.Processing;

/// <summary>Generated at build time: the data annotations of <see cref="ProcessingOptions"/>, nested storage options included.</summary>
[OptionsValidator]
public sealed partial class ProcessingOptionsValidator : IValidateOptions<ProcessingOptions>;
