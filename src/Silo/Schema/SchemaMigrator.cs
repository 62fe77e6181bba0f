using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Orleans.Webhooks.Silo.Schema;

/// <summary>
/// Brings the database up to the schema files this silo ships with, before the silo starts. Silos starting together
/// take turns on a PostgreSQL advisory lock, so one of them applies the files and the others find them applied.
/// Every application is recorded in <c>webhooks_schema_migrations</c> (file, checksum, when, by whom); a file is
/// applied when it has no record or its checksum changed. The files are idempotent, so a database that psql already
/// brought up to date (deploy/local/postgres.sh) only gains the records.
/// </summary>
public sealed partial class SchemaMigrator(
    string connectionString,
    SchemaFiles files,
    IOptions<DatabaseOptions> options,
    ILogger<SchemaMigrator> logger) : IHostedService
{
    private const string LockKey = "orleans-webhooks-schema";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.ApplySchema)
        {
            LogSkipped(logger);
            return;
        }
        var schema = files.Read();
        // No pool: the advisory lock belongs to this PostgreSQL connection and must end with it.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"Cannot connect to PostgreSQL (ConnectionStrings:Webhooks, database '{builder.Database}' on {builder.Host}:{builder.Port}) to apply the schema: {ex.Message}", ex);
        }
        // Held until the connection closes at the end of this method, whatever happens in between. Taken with
        // pg_try_advisory_lock in a loop rather than waited for in pg_advisory_lock: a session waiting inside a statement
        // has a transaction open, and a CREATE INDEX CONCURRENTLY in the lock holder's migration waits for every open
        // transaction to end, a deadlock that PostgreSQL breaks by failing one of the silos.
        while (!await TryLockAsync(connection, cancellationToken))
        {
            await Task.Delay(LockRetry, cancellationToken);
        }
        await ExecuteAsync(connection, """
            SET client_min_messages = warning;
            CREATE TABLE IF NOT EXISTS webhooks_schema_migrations
            (
                id         bigserial   PRIMARY KEY,
                file       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                applied_by text        NOT NULL
            );
            RESET client_min_messages;
            """, cancellationToken);
        var applied = await AppliedChecksumsAsync(connection, cancellationToken);
        var pending = schema.Where(file => !applied.TryGetValue(file.Name, out var checksum) || checksum != file.Checksum).ToArray();
        foreach (var file in pending)
        {
            LogApplying(logger, file.Name);
            try
            {
                await ExecuteAsync(connection, file.Sql, cancellationToken);
            }
            catch (NpgsqlException ex)
            {
                LogFailed(logger, file.Name, ex.Message);
                throw new InvalidOperationException($"Applying schema file {file.Name} failed: {ex.Message}", ex);
            }
            await ExecuteAsync(connection,
                "INSERT INTO webhooks_schema_migrations (file, checksum, applied_by) VALUES (@file, @checksum, @by)",
                cancellationToken, ("file", file.Name), ("checksum", file.Checksum), ("by", $"{Environment.MachineName} pid {Environment.ProcessId}"));
        }
        LogUpToDate(logger, schema.Count, pending.Length);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(200);

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext(@key))", connection);
        command.Parameters.AddWithValue("key", LockKey);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    private static async Task<Dictionary<string, string>> AppliedChecksumsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT DISTINCT ON (file) file, checksum FROM webhooks_schema_migrations ORDER BY file, id DESC", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetString(0)] = reader.GetString(1);
        }
        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        // A migration may build an index on a large table: no client-side timeout cuts it off half way.
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Schema: applying {File}")]
    private static partial void LogApplying(ILogger logger, string file);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Schema: up to date ({Files} files, {Applied} applied now)")]
    private static partial void LogUpToDate(ILogger logger, int files, int applied);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Critical, Message = "Schema: applying {File} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string file, string error);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Information, Message = "Schema: not applied at start (Webhooks:Database:ApplySchema is false)")]
    private static partial void LogSkipped(ILogger logger);
}
