using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Orleans.Webhooks.Grains.Interfaces.Configuration;

/// <summary>
/// Runs a generated options validator (<c>[OptionsValidator]</c>) with the configuration section as the options' name,
/// and words each failure as the settings check prints it: the key as an operator writes it, then the problem
/// (<c>Webhooks:Processing:Storage:MaxBatch: must be between 1 and 10000.</c>), instead of the class member and the
/// data annotation's sentence (<c>MaxBatch: The field Webhooks:Processing.Storage.MaxBatch must be ...</c>).
/// </summary>
public sealed class SectionValidator<TOptions>(IValidateOptions<TOptions> generated, string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    private readonly Regex _path = new(Regex.Escape(section) + @"(\.\w+)+", RegexOptions.CultureInvariant);

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var result = generated.Validate(section, options);
        return result.Failed ? ValidateOptionsResult.Fail(result.Failures!.Select(Reword)) : result;
    }

    private string Reword(string failure)
    {
        var match = _path.Match(failure);
        if (!match.Success)
        {
            return failure;
        }
        // The generator joins the name and the member path with dots; configuration keys use colons.
        var key = match.Value.Replace('.', ':');
        // What follows the key in the annotation's sentence: "The field KEY must be ...", "The KEY field is required."
        var problem = failure[(match.Index + match.Length)..].Trim();
        return $"{key}: {(problem.StartsWith("field ", StringComparison.Ordinal) ? problem["field ".Length..] : problem)}";
    }
}
