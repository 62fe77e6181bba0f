using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Orleans.Webhooks.Grains.Interfaces.Hosting;

/// <summary>
/// Runs a generated options validator (<c>[OptionsValidator]</c>) with the configuration section as the options' name,
/// so that a failure names the setting as an operator writes it (<c>Webhooks:Processing:Storage:MaxBatch</c>) together
/// with its range, instead of the class member (<c>StorageOptions.MaxBatch</c>).
/// </summary>
public sealed class SectionValidator<TOptions>(IValidateOptions<TOptions> generated, string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var result = generated.Validate(section, options);
        if (!result.Failed)
        {
            return result;
        }
        // The generator joins the name and the member path with dots; configuration keys use colons.
        var path = new Regex(Regex.Escape(section) + @"(\.\w+)+", RegexOptions.CultureInvariant);
        return ValidateOptionsResult.Fail(result.Failures!.Select(failure => path.Replace(failure, m => m.Value.Replace('.', ':'))));
    }
}

public static class ValidatedOptions
{
    /// <summary>Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and checks it with the generated validator when the host starts.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>, new()
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(new TValidator(), section));
        return services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }
}
