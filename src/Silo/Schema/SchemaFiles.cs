using System.Security.Cryptography;
using System.Text;

namespace Orleans.Webhooks.Silo.Schema;

/// <summary>The numbered deploy/sql files copied beside the silo (into <see cref="FolderName"/>), in the order they apply.</summary>
public sealed class SchemaFiles(string directory)
{
    public const string FolderName = "sql";

    public string Directory { get; } = directory;

    public IReadOnlyList<SchemaFile> Read()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            throw new InvalidOperationException(
                $"The schema files are missing: no folder {Directory}. Deploy the silo with its '{FolderName}' folder, or set Webhooks:Database:ApplySchema=false and apply deploy/sql yourself.");
        }
        return System.IO.Directory.GetFiles(Directory, "*.sql")
            .Order(StringComparer.Ordinal)
            .Select(path =>
            {
                var bytes = File.ReadAllBytes(path);
                return new SchemaFile(Path.GetFileName(path), Encoding.UTF8.GetString(bytes), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            })
            .ToArray();
    }
}

/// <summary>One schema file: its name (the version), its SQL, and a checksum that tells an edited file from the applied one.</summary>
public sealed record SchemaFile(string Name, string Sql, string Checksum);
