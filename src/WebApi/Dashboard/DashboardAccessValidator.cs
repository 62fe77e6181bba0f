using Microsoft.Extensions.Options;

namespace Orleans.Webhooks.WebApi.Dashboard;

/// <summary>Generated at build time from the data annotations of <see cref="DashboardAccess"/>.</summary>
[OptionsValidator]
public sealed partial class DashboardAccessValidator : IValidateOptions<DashboardAccess>;
