using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Testing;
using Orleans.Webhooks.WebApi.Dashboard;
using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Tests.Deployment;

/// <summary>
/// The container image, compose file and systemd units in deploy/ name the settings, ports and programs of the code,
/// so that renaming one of them in the code without the files (or the reverse) fails here rather than on a host.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string Deploy = Path.Combine(TestDatabase.RepositoryRoot, "deploy");
    private static readonly string Compose = Read("docker", "compose.yaml");
    private static readonly string Dockerfile = Read("docker", "Dockerfile");
    private static readonly string SiloUnit = Read("systemd", "orleans-webhooks-silo.service");
    private static readonly string WebApiUnit = Read("systemd", "orleans-webhooks-webapi.service");
    private static readonly string ClusterEnv = Read("systemd", "cluster.env");
    private static readonly string SiloEnv = Read("systemd", "silo.env");
    private static readonly string WebApiEnv = Read("systemd", "webapi.env");

    private static readonly OrleansOptions Defaults = new();

    /// <summary>
    /// The silo's own settings (<c>Webhooks:Database</c>): its section name and property names, read from the metadata of
    /// its build output. The web API does not reference the silo, and loading the silo's assembly here would have Orleans
    /// look for the silo's dependencies in every test host of this process.
    /// </summary>
    private static readonly (string Section, string[] Properties) DatabaseOptions = SiloSettings("Orleans.Webhooks.Silo.Schema", "DatabaseOptions");

    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([Deploy, .. path]));

    /// <summary>Every KEY=value or KEY: value whose key is a setting (it has a "__" or is a standard variable), commented-out examples included.</summary>
    private static string[] Settings(string text) =>
        SettingLine().Matches(text).Select(m => m.Groups["key"].Value).Distinct().ToArray();

    [Fact]
    public void EverySettingInTheFiles_IsOneTheProgramsRead()
    {
        var unknown = new[] { Compose, Dockerfile, ClusterEnv, SiloEnv, WebApiEnv }
            .SelectMany(Settings)
            .Where(key => !IsKnownSetting(key))
            .ToArray();
        Assert.Empty(unknown);
    }

    [Fact]
    public void EachHost_GetsTheSettingsItNeeds()
    {
        string[] cluster = ["ConnectionStrings__Webhooks", $"{OrleansOptions.SectionName}__{nameof(OrleansOptions.ClusterId)}", $"{OrleansOptions.SectionName}__{nameof(OrleansOptions.ServiceId)}"];
        string[] silo = [.. cluster, .. new[] { nameof(OrleansOptions.SiloPort), nameof(OrleansOptions.GatewayPort), nameof(OrleansOptions.AdvertisedIPAddress) }.Select(p => $"{OrleansOptions.SectionName}__{p}")];
        string[] webApi = [.. cluster, "ASPNETCORE_URLS", $"{WebhooksOptions.SectionName}__{nameof(WebhooksOptions.ManagementApiKey)}", $"{DashboardAccess.SectionName}__{nameof(DashboardAccess.Password)}"];

        Assert.Empty(silo.Except(Settings(ClusterEnv + SiloEnv)));
        Assert.Empty(webApi.Except(Settings(ClusterEnv + WebApiEnv)));
        Assert.Contains("EnvironmentFile=/etc/orleans-webhooks/cluster.env", SiloUnit, StringComparison.Ordinal);
        Assert.Contains("EnvironmentFile=/etc/orleans-webhooks/silo.env", SiloUnit, StringComparison.Ordinal);
        Assert.Contains("EnvironmentFile=/etc/orleans-webhooks/cluster.env", WebApiUnit, StringComparison.Ordinal);
        Assert.Contains("EnvironmentFile=/etc/orleans-webhooks/webapi.env", WebApiUnit, StringComparison.Ordinal);
        foreach (var service in new[] { "silo0", "silo1", "silo2", "webapi" })
        {
            var block = ComposeService(service);
            Assert.Contains("<<: *cluster", block, StringComparison.Ordinal);
            Assert.Empty((service == "webapi" ? webApi : silo).Except(cluster).Except(Settings(block)));
        }
        Assert.Empty(cluster.Except(Settings(ComposeAnchor("cluster"))));
    }

    [Fact]
    public void Ports_AreTheCodesDefaults_NodeByNode()
    {
        for (var node = 0; node < 3; node++)
        {
            var block = ComposeService($"silo{node}");
            Assert.Equal(Defaults.SiloPort + node, Port(block, "Orleans__SiloPort"));
            Assert.Equal(Defaults.GatewayPort + node, Port(block, "Orleans__GatewayPort"));
            Assert.Contains($"Orleans__AdvertisedIPAddress: silo{node}", block, StringComparison.Ordinal);
        }
        Assert.Equal(Defaults.SiloPort, Port(SiloEnv, "Orleans__SiloPort"));
        Assert.Equal(Defaults.GatewayPort, Port(SiloEnv, "Orleans__GatewayPort"));
        Assert.Contains($"EXPOSE {Defaults.SiloPort} {Defaults.GatewayPort}", Dockerfile, StringComparison.Ordinal);

        // The web API's port: run.sh's default address, which is the program's own default too.
        var runScript = File.ReadAllText(Path.Combine(Deploy, "local", "run.sh"));
        var webPort = int.Parse(RunScriptUrl().Match(runScript).Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"http://127.0.0.1:{webPort}\"", File.ReadAllText(Path.Combine(TestDatabase.RepositoryRoot, "src", "WebApi", "Program.cs")), StringComparison.Ordinal);
        Assert.Equal(webPort, Port(WebApiEnv, "ASPNETCORE_URLS"));
        Assert.Equal(webPort, Port(ComposeService("webapi"), "ASPNETCORE_URLS"));
        Assert.Contains($"\"{webPort}:{webPort}\"", ComposeService("webapi"), StringComparison.Ordinal);
        Assert.Contains($"ENV ASPNETCORE_URLS=http://0.0.0.0:{webPort}", Dockerfile, StringComparison.Ordinal);
        Assert.Contains($"EXPOSE {webPort}", Dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void EntryAssemblies_AreThePrograms()
    {
        var webApi = typeof(Program).Assembly.GetName().Name + ".dll";
        var silo = webApi.Replace(".WebApi.", ".Silo.", StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(BuildOutput("Silo"), silo)), $"{silo} is not what src/Silo builds");

        Assert.Equal([silo, webApi], Assemblies(Dockerfile));
        Assert.Equal([silo], Assemblies(SiloUnit));
        Assert.Equal([webApi], Assemblies(WebApiUnit));
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{silo}\"]", Dockerfile, StringComparison.Ordinal);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{webApi}\"]", Dockerfile, StringComparison.Ordinal);
        foreach (var project in PublishedProject().Matches(Dockerfile).Select(m => m.Groups["project"].Value))
        {
            Assert.True(File.Exists(Path.Combine(TestDatabase.RepositoryRoot, project)), $"the Dockerfile publishes {project}, which does not exist");
        }
        Assert.Equal(["silo", "webapi"], ComposeTargets());
    }

    [Fact]
    public void SiloOutput_ShipsTheSchemaFiles()
    {
        var shipped = Directory.GetFiles(Path.Combine(BuildOutput("Silo"), "sql"), "*.sql").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(TestDatabase.SchemaFiles.Select(Path.GetFileName), shipped);
    }

    private static bool IsKnownSetting(string key)
    {
        if (key is "ASPNETCORE_URLS" or "ConnectionStrings__Webhooks" || key.StartsWith("OTEL_", StringComparison.Ordinal) || key.StartsWith("POSTGRES_", StringComparison.Ordinal))
        {
            return true;
        }
        var path = key.Split("__");
        return Section(path, OrleansOptions.SectionName) is [var orleans] ? Has<OrleansOptions>(orleans)
            : Section(path, DatabaseOptions.Section) is [var database] ? DatabaseOptions.Properties.Contains(database)
            : Section(path, DashboardAccess.SectionName) is [var dashboard] ? Has<DashboardAccess>(dashboard)
            : Section(path, WebhooksOptions.SectionName + ":" + nameof(WebhooksOptions.Providers)) is [_, var provider, ..] ? Has<ProviderOptions>(provider)
            : Section(path, WebhooksOptions.SectionName) is [var webhooks, ..] && Has<WebhooksOptions>(webhooks);
    }

    /// <summary>What follows <paramref name="section"/> ("A:B") in a key split at "__", or null when the key is not in it.</summary>
    private static string[]? Section(string[] path, string section)
    {
        var prefix = section.Split(':');
        return path.Length > prefix.Length && path.Take(prefix.Length).SequenceEqual(prefix) ? path[prefix.Length..] : null;
    }

    private static (string Section, string[] Properties) SiloSettings(string ns, string name)
    {
        using var pe = new PEReader(File.OpenRead(Path.Combine(BuildOutput("Silo"), "Orleans.Webhooks.Silo.dll")));
        var metadata = pe.GetMetadataReader();
        var type = metadata.TypeDefinitions.Select(metadata.GetTypeDefinition)
            .Single(t => metadata.GetString(t.Namespace) == ns && metadata.GetString(t.Name) == name);
        var section = type.GetFields().Select(metadata.GetFieldDefinition).Single(f => metadata.GetString(f.Name) == "SectionName");
        var value = metadata.GetBlobReader(metadata.GetConstant(section.GetDefaultValue()).Value);
        return (value.ReadUTF16(value.Length), type.GetProperties().Select(p => metadata.GetString(metadata.GetPropertyDefinition(p).Name)).ToArray());
    }

    private static bool Has<T>(string property) => typeof(T).GetProperty(property) is not null;

    private static int Port(string text, string key) =>
        int.Parse(new Regex($@"{Regex.Escape(key)}\s*[:=]\s*""?(?:http://[^:\s]+:)?(?<port>\d+)").Match(text).Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A service's lines in compose.yaml: from its name to the next line indented as little.</summary>
    private static string ComposeService(string name) => Block(new Regex($@"^  {name}:\n((?:    .*|\s*)\n)+", RegexOptions.Multiline), name);

    private static string ComposeAnchor(string name) => Block(new Regex($@"^x-{name}: &{name}\n((?:  .*|\s*)\n)+", RegexOptions.Multiline), name);

    private static string Block(Regex pattern, string name) =>
        pattern.Match(Compose.ReplaceLineEndings("\n")) is { Success: true } match ? match.Value : throw new Xunit.Sdk.XunitException($"compose.yaml has no {name}");

    private static string[] Assemblies(string text) =>
        AssemblyName().Matches(text).Select(m => m.Value).Distinct().ToArray();

    private static string[] ComposeTargets() =>
        ComposeTarget().Matches(Compose).Select(m => m.Groups["target"].Value).Distinct().Order(StringComparer.Ordinal).ToArray();

    private static string BuildOutput(string project)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(TestDatabase.RepositoryRoot, "src", project, "bin", configuration, "net10.0");
    }

    [GeneratedRegex(@"^\s*(?:#\s*)?(?:ENV\s+)?(?<key>[A-Za-z][A-Za-z0-9_.-]*__[A-Za-z0-9_.-]+|ASPNETCORE_URLS|OTEL_[A-Z_]+|POSTGRES_[A-Z_]+)\s*[:=]", RegexOptions.Multiline)]
    private static partial Regex SettingLine();

    [GeneratedRegex(@"ASPNETCORE_URLS:-http://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex RunScriptUrl();

    [GeneratedRegex(@"Orleans\.Webhooks\.[A-Za-z]+\.dll")]
    private static partial Regex AssemblyName();

    [GeneratedRegex(@"dotnet publish (?<project>\S+\.csproj)")]
    private static partial Regex PublishedProject();

    [GeneratedRegex(@"^\s+target: (?<target>\S+)", RegexOptions.Multiline)]
    private static partial Regex ComposeTarget();
}
