using System.Globalization;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.EndToEnd.Tests.Operations;

/// <summary>A silo applies deploy/sql at start: once for a cluster that starts together, and not at all past a failing file.</summary>
public sealed class SchemaOnStartTests
{
    private static Dictionary<string, string> SiloEnvironment(string connectionString, string clusterId, int siloPort, int gatewayPort) => new()
    {
        ["ConnectionStrings__Webhooks"] = connectionString,
        ["Orleans__ClusterId"] = clusterId,
        ["Orleans__ServiceId"] = clusterId,
        ["Orleans__SiloPort"] = TestPorts.Of(siloPort).ToString(CultureInfo.InvariantCulture),
        ["Orleans__GatewayPort"] = TestPorts.Of(gatewayPort).ToString(CultureInfo.InvariantCulture),
        ["Logging__LogLevel__Default"] = "Warning",
    };

    [Fact]
    public async Task TwoSilosStartedTogetherOnAnEmptyDatabase_ApplyTheSchemaOnce_AndBothJoin()
    {
        var database = await TestDatabase.CreateEmptyAsync("webhooks_test_schema");
        const string cluster = "e2e-schema";
        await using var first = ServiceProcess.Start("Silo", SiloEnvironment(database, cluster, 6110, 6120));
        await using var second = ServiceProcess.Start("Silo", SiloEnvironment(database, cluster, 6111, 6121));

        await Eventually.MatchesAsync(async () =>
        {
            if (first.HasExited || second.HasExited)
            {
                throw new InvalidOperationException($"A silo exited during start-up:\n{first.Output}\n---\n{second.Output}");
            }
            try
            {
                return await TestDatabase.ScalarAsync<long>(database,
                    "SELECT count(*) FROM orleans_membership WHERE deployment_id = @c AND status = 3", ("c", cluster));
            }
            catch (Npgsql.PostgresException ex) when (ex.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
            {
                return 0L; // not yet created by the silo that migrates
            }
        }, active => active == 2, TimeSpan.FromSeconds(90), "both silos active in the cluster");

        var files = TestDatabase.SchemaFiles.Select(Path.GetFileName).ToArray();
        Assert.Equal(files.Length, await TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM webhooks_schema_migrations"));
        Assert.Equal(files.Length, await TestDatabase.ScalarAsync<long>(database, "SELECT count(DISTINCT file) FROM webhooks_schema_migrations"));
        Assert.Equal(1, await TestDatabase.ScalarAsync<long>(database, "SELECT count(DISTINCT applied_by) FROM webhooks_schema_migrations"));
    }

    [Fact]
    public async Task FailingSchemaFile_StopsTheSilo_NamingTheFileAndTheError()
    {
        var database = await TestDatabase.CreateEmptyAsync("webhooks_test_schema_broken");
        // A view where 0100 expects its table: CREATE TABLE IF NOT EXISTS passes it by, and the index on it fails.
        await TestDatabase.ExecuteAsync(database, "CREATE VIEW webhook_events AS SELECT 1 AS unrelated");
        await using var silo = ServiceProcess.Start("Silo", SiloEnvironment(database, "e2e-schema-broken", 6160, 6170));

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Applying schema file 0100_webhook_events.sql failed:", silo.Output, StringComparison.Ordinal);
        Assert.Contains("webhook_events", silo.Output[silo.Output.IndexOf("failed:", StringComparison.Ordinal)..], StringComparison.Ordinal);
        // What applied before the failing file is recorded; the failing file and those after it are not.
        var recorded = await TestDatabase.ScalarAsync<long>(database, "SELECT count(*) FROM webhooks_schema_migrations");
        Assert.Equal(TestDatabase.SchemaFiles.Count(f => string.CompareOrdinal(Path.GetFileName(f), "0100") < 0), recorded);
    }
}
