using System.Data.Common;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace Orleans.Webhooks.Grains.Interfaces.Configuration;

/// <summary>Configuration read the same way by silos and by the web API.</summary>
public static class WebhooksConfiguration
{
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Database=webhooks;Username=webhooks;Password=webhooks";

    /// <summary>ADO.NET invariant of the Orleans providers (clustering, grain storage, reminders).</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>
    /// <c>ConnectionStrings:Webhooks</c>, else the contract's default, without TLS when the database is on this host
    /// (<see cref="WithoutTlsOnLoopback"/>).
    /// </summary>
    public static string WebhooksConnectionString(this IConfiguration configuration) =>
        WithoutTlsOnLoopback(configuration.GetConnectionString("Webhooks") is { Length: > 0 } value ? value : DefaultConnectionString);

    /// <summary>
    /// Adds <c>SSL Mode=Disable</c> when every host of the string is a loopback address or <c>localhost</c> and the string
    /// does not set <c>SSL Mode</c> itself. Npgsql's default uses TLS whenever the server offers it (Debian's PostgreSQL
    /// does, with its snakeoil certificate); between two processes of one host TLS protects nothing (the traffic never
    /// leaves the host) and costs both of them CPU on every round trip, which here is several per event
    /// (deploy/bench/README.md). A remote host keeps the driver's default; set <c>SSL Mode</c> to have TLS on loopback too.
    /// A string that does not parse is left as it is, for the driver to report.
    /// </summary>
    public static string WithoutTlsOnLoopback(string connectionString)
    {
        DbConnectionStringBuilder builder;
        try
        {
            builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        }
        catch (ArgumentException)
        {
            return connectionString;
        }
        var keys = builder.Keys.Cast<string>().Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
        if (keys.Contains("SSLMODE"))
        {
            return connectionString;
        }
        var hosts = (builder.TryGetValue("Host", out var host) ? host : builder.TryGetValue("Server", out var server) ? server : null) as string;
        if (string.IsNullOrWhiteSpace(hosts) || !hosts.Split(',').All(IsLoopback))
        {
            return connectionString;
        }
        builder["SSL Mode"] = "Disable";
        return builder.ConnectionString;
    }

    /// <summary>A host of a connection string ("127.0.0.1", "localhost:5433", "[::1]:5432") that names this machine's loopback.</summary>
    private static bool IsLoopback(string host)
    {
        var name = host.Trim();
        if (name.StartsWith('['))
        {
            name = name[1..Math.Max(1, name.IndexOf(']', StringComparison.Ordinal))];
        }
        else if (name.Count(c => c == ':') == 1)
        {
            name = name[..name.IndexOf(':', StringComparison.Ordinal)];
        }
        return string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
    }

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
