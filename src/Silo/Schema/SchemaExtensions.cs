using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Webhooks.Grains.Interfaces.Configuration;

namespace Orleans.Webhooks.Silo.Schema;

public static class SchemaExtensions
{
    /// <summary>
    /// Applies deploy/sql at start, before the silo joins the cluster (unless <c>Webhooks:Database:ApplySchema</c> is
    /// false). Call it before <c>AddWebhooksSilo</c>: hosted services start in the order they are added, and the silo
    /// must find its tables.
    /// </summary>
    public static IHostApplicationBuilder AddWebhooksSchema(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .Bind(builder.Configuration.GetSection(DatabaseOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton(new SchemaFiles(Path.Combine(AppContext.BaseDirectory, SchemaFiles.FolderName)));
        builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<SchemaMigrator>(services, builder.Configuration.WebhooksConnectionString()));
        return builder;
    }
}
