using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Orleans.Webhooks.Grains.Interfaces.Hosting;

/// <summary>Configuration read the same way by silos and by the web API.</summary>
public static class WebhooksConfiguration
{
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Database=webhooks;Username=webhooks;Password=webhooks";

    /// <summary>ADO.NET invariant of the Orleans providers (clustering, grain storage, reminders).</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary><c>ConnectionStrings:Webhooks</c>, else the contract's default.</summary>
    public static string WebhooksConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString("Webhooks") is { Length: > 0 } value ? value : DefaultConnectionString;

    /// <summary>The <c>Orleans</c> section, read before the host is built (it configures the silo or client itself), so checked here: a bad value stops the program naming the setting.</summary>
    public static SiloOptions OrleansSettings(this IConfiguration configuration)
    {
        var settings = configuration.GetSection(SiloOptions.SectionName).Get<SiloOptions>() ?? new SiloOptions();
        var failures = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), failures, validateAllProperties: true))
        {
            throw new InvalidOperationException(string.Join(" ", failures.Select(failure =>
                $"{SiloOptions.SectionName}:{failure.MemberNames.FirstOrDefault()}: {failure.ErrorMessage}")));
        }
        return settings;
    }
}
