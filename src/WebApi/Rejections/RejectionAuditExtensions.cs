namespace Orleans.Webhooks.WebApi.Rejections;

public static class RejectionAuditExtensions
{
    /// <summary>The audit of refused deliveries: collected per request, written in batches by a background writer.</summary>
    public static IHostApplicationBuilder AddRejectionAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RejectionAudit>();
        builder.Services.AddSingleton<RejectionStore>();
        builder.Services.AddHostedService<RejectionWriter>();
        return builder;
    }
}
