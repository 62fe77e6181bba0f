using Microsoft.Extensions.Configuration;

namespace Orleans.Webhooks.Grains.Interfaces.Configuration;

/// <summary>Configuration read the same way by silos and by the web API.</summary>
public static class WebhooksConfiguration
{
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Database=webhooks;Username=webhooks;Password=webhooks";

    /// <summary>ADO.NET invariant of the Orleans providers (clustering, grain storage, reminders).</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary><c>ConnectionStrings:Webhooks</c>, else the contract's default.</summary>
    public static string WebhooksConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString("Webhooks") is { Length: > 0 } value ? value : DefaultConnectionString;

    /// <summary>
    /// The <c>Orleans</c> section, read before the host is built because it configures the silo or client itself. It is
    /// not checked here: the host also binds it as options with <see cref="OrleansOptionsValidator"/>, and the settings
    /// check (<see cref="SettingsCheck"/>) stops the program, naming every bad key, before anything starts. A section
    /// that does not even bind (a port that is not a number) is read as the defaults until then.
    /// </summary>
    public static OrleansOptions OrleansSettings(this IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(OrleansOptions.SectionName).Get<OrleansOptions>() ?? new OrleansOptions();
        }
        catch (InvalidOperationException)
        {
            return new OrleansOptions();
        }
    }
}
