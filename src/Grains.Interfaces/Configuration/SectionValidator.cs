using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Orleans.Webhooks.Grains.Interfaces.Configuration;

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
