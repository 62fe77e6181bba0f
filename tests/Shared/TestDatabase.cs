using Npgsql;

namespace Orleans.Webhooks.Testing;

/// <summary>
/// A PostgreSQL database of the tests' own (never the one run.sh serves), created fresh with our schema from deploy/sql.
/// No PostgreSQL means the test fails, not skips.
/// </summary>
public static class TestDatabase
{
    /// <summary>Server-level connection (database "postgres") of a role allowed to create databases; test.sh sets it.</summary>
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("WEBHOOKS_TEST_CONNECTION")
        ?? "Host=127.0.0.1;Port=5432;Username=webhooks;Password=webhooks;Database=postgres";

    /// <summary>A fresh database with our schema.</summary>
    public static Task<string> CreateAsync(string name) => CreateAsync(name, fixture: null);

    /// <summary>
    /// A database restored from <paramref name="fixture"/> (a pg_dump of a database in stored formats the code still
    /// reads, relative to the repository root) and then brought up to date with deploy/sql, as an upgrade does. Every time in the dump is moved
    /// by one amount so that the newest is <paramref name="fixtureAge"/> before now: the dump then reads as a database
    /// left that long ago, whenever the test runs (a silo's last heartbeat, an event's due time).
    /// </summary>
    public static async Task<string> CreateAsync(string name, string? fixture, TimeSpan fixtureAge = default)
    {
        var connectionString = await CreateEmptyAsync(name);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        if (fixture is not null)
        {
            await using var restore = new NpgsqlCommand(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot, fixture)), connection);
            await restore.ExecuteNonQueryAsync();
            await using var age = new NpgsqlCommand(AgeFixture.Replace("@age", ((long)fixtureAge.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), connection);
            await age.ExecuteNonQueryAsync();
        }
        foreach (var file in SchemaFiles)
        {
            await using var apply = new NpgsqlCommand(await File.ReadAllTextAsync(file), connection);
            await apply.ExecuteNonQueryAsync();
        }
        return connectionString;
    }

    private const string AgeFixture = """
        DO $$
        DECLARE
            c record;
            newest timestamptz;
            found timestamptz;
        BEGIN
            FOR c IN SELECT table_name, column_name FROM information_schema.columns
                     WHERE table_schema = 'public' AND data_type IN ('timestamp with time zone', 'timestamp without time zone') LOOP
                EXECUTE format('SELECT max(%I)::timestamptz FROM %I', c.column_name, c.table_name) INTO found;
                newest := greatest(newest, found);
            END LOOP;
            IF newest IS NULL THEN
                RETURN;
            END IF;
            FOR c IN SELECT table_name, column_name FROM information_schema.columns
                     WHERE table_schema = 'public' AND data_type IN ('timestamp with time zone', 'timestamp without time zone') LOOP
                EXECUTE format('UPDATE %I SET %I = %I + $1', c.table_name, c.column_name, c.column_name)
                    USING (now() - make_interval(secs => @age)) - newest;
            END LOOP;
        END $$;
        """;

    /// <summary>deploy/sql/*.sql in the order they apply.</summary>
    public static IReadOnlyList<string> SchemaFiles =>
        Directory.GetFiles(Path.Combine(RepositoryRoot, "deploy", "sql"), "*.sql").Order(StringComparer.Ordinal).ToArray();

    /// <summary>A new database without any schema, as a new host's silo first finds it.</summary>
    public static async Task<string> CreateEmptyAsync(string name)
    {
        if (!name.StartsWith("webhooks_test_", StringComparison.Ordinal))
        {
            throw new ArgumentException("Test databases are named webhooks_test_*.", nameof(name));
        }
        name += Environment.GetEnvironmentVariable("WEBHOOKS_TEST_DB_SUFFIX");
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            try
            {
                await admin.OpenAsync();
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException(
                    "These tests need PostgreSQL (run deploy/local/test.sh, which installs and starts it). " +
                    $"Could not connect with WEBHOOKS_TEST_CONNECTION: {ex.Message}", ex);
            }
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            // UTF8 as deploy/local/postgres.sh makes it, whatever the cluster's default (SQL_ASCII in a bare container).
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0", admin);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (parameterName, value) in parameters)
        {
            command.Parameters.AddWithValue(parameterName, value);
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task ExecuteAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (parameterName, value) in parameters)
        {
            command.Parameters.AddWithValue(parameterName, value);
        }
        await command.ExecuteNonQueryAsync();
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Orleans.Webhooks.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Orleans.Webhooks.sln not found above " + AppContext.BaseDirectory);
    }
}
