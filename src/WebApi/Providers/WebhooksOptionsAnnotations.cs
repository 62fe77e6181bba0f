using Microsoft.Extensions.Options;

namespace Orleans.Webhooks.WebApi.Providers;

/// <summary>
/// Generated at build time: the data annotations of <see cref="WebhooksOptions"/> (the rate limits); the providers and
/// the network lists are checked by <see cref="WebhooksOptionsValidator"/>.
/// </summary>
[OptionsValidator]
public sealed partial class WebhooksOptionsAnnotations : IValidateOptions<WebhooksOptions>;
