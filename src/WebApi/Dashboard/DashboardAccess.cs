using System.ComponentModel.DataAnnotations;

namespace Orleans.Webhooks.WebApi.Dashboard;

/// <summary>The <c>Dashboard</c> section: the Orleans Dashboard has no authentication of its own.</summary>
public sealed class DashboardAccess
{
    public const string SectionName = "Dashboard";

    [Required]
    public string Username { get; set; } = "admin";

    /// <summary>When set, the dashboard asks for HTTP basic authentication; when not, it answers loopback callers only.</summary>
    public string? Password { get; set; }
}
