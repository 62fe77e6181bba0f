namespace Orleans.Webhooks.WebApi.Tests.Deployment;

/// <summary>A test that needs <c>promtool</c> (Debian's package prometheus; deploy/local/test.sh installs it): skipped, with the reason, where it is missing.</summary>
public sealed class PromtoolFactAttribute : FactAttribute
{
    public PromtoolFactAttribute()
    {
        if (Promtool.Path is null)
        {
            Skip = "promtool is not installed (apt-get install prometheus, or run deploy/local/test.sh, which installs it): the alert rules are not checked";
        }
    }
}
